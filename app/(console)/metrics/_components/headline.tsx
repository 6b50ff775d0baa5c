import type { DecisionMetrics, MetricsWindow } from "@/lib/client/use-metrics";
import { formatDuration, formatPercent, WINDOW_LABEL } from "./format";

/** The window's numbers at a glance, plus the queue as it stands now. */
export function Headline({ overall, window }: { overall: DecisionMetrics; window: MetricsWindow }) {
  const g = overall.groups[0];
  const tiles: { label: string; value: string; hint?: string; warn?: boolean }[] = [
    { label: "Decided", value: String(g?.decided ?? 0), hint: `${g?.approved ?? 0} approved · ${g?.rejected ?? 0} rejected · ${g?.expired ?? 0} expired` },
    { label: "Median time to decision", value: formatDuration(g?.time_to_decision_sec.p50), hint: `p90 ${formatDuration(g?.time_to_decision_sec.p90)} · p99 ${formatDuration(g?.time_to_decision_sec.p99)}` },
    { label: "SLA breaches", value: String(g?.sla_breaches ?? 0), hint: `${formatPercent(g?.sla_breach_rate ?? 0)} of decided`, warn: (g?.sla_breaches ?? 0) > 0 },
    { label: "Queue depth now", value: String(overall.queue.depth), hint: overall.queue.oldest_pending_age_sec === null ? "nothing pending" : `oldest waiting ${formatDuration(overall.queue.oldest_pending_age_sec)}` },
  ];
  return (
    <section aria-labelledby="headline-title">
      <h2 id="headline-title" className="sr-only">
        Headline numbers for the {WINDOW_LABEL[window]}
      </h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="headline">
        {tiles.map((t) => (
          <div key={t.label} className={`rounded-md border bg-white p-3 ${t.warn ? "border-amber-300" : "border-slate-200"}`}>
            <dt className="text-sm text-slate-600">{t.label}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{t.value}</dd>
            {t.hint && <dd className="text-xs text-slate-600">{t.hint}</dd>}
          </div>
        ))}
      </dl>
    </section>
  );
}
