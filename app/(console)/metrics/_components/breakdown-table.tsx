"use client";

import type { DecisionMetrics, MetricsGrouping, MetricsWindow } from "@/lib/client/use-metrics";
import { ExportButton } from "./export-button";
import { formatDuration, formatPercent, GROUPING_LABEL, WINDOW_LABEL } from "./format";

const KEY_LABEL: Record<string, string> = {
  single_approval: "Single approval",
  dual_approval: "Dual approval",
  "system:sla": "No one (expired)",
};

export const groupLabel = (key: string | null) => (key === null ? "(none)" : (KEY_LABEL[key] ?? key));

/** The one group that stands out on a measure, or null when none does (a tie marks nobody). */
function standout(groups: DecisionMetrics["groups"], measure: (g: DecisionMetrics["groups"][number]) => number | null): string | null {
  const values = groups.map(measure);
  const top = Math.max(...values.map((v) => v ?? -Infinity));
  const at = values.flatMap((v, i) => (v === top ? [i] : []));
  return groups.length > 1 && at.length === 1 ? groups[at[0]!]!.key : null;
}

export function BreakdownTable({ metrics, groupBy, window }: { metrics: DecisionMetrics; groupBy: MetricsGrouping; window: MetricsWindow }) {
  const label = GROUPING_LABEL[groupBy];
  // Which rule is slow, who is overloaded: the slowest p90 and the most decisions stand out.
  const slowest = standout(metrics.groups, (g) => g.time_to_decision_sec.p90);
  const busiest = standout(metrics.groups, (g) => g.decided);
  const header = [groupBy, "decided", "approved", "rejected", "expired", "p50_sec", "p90_sec", "p99_sec", "sla_breaches", "sla_breach_rate"];
  const rows = metrics.groups.map((g) => [
    g.key, g.decided, g.approved, g.rejected, g.expired,
    g.time_to_decision_sec.p50, g.time_to_decision_sec.p90, g.time_to_decision_sec.p99, g.sla_breaches, g.sla_breach_rate,
  ]);
  return (
    <section aria-labelledby="breakdown-title" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="breakdown-title" className="text-base font-semibold">
          By {label.toLowerCase()}
        </h2>
        <ExportButton table={groupBy} window={window} label={`the breakdown by ${label.toLowerCase()}`} header={header} rows={rows} />
      </div>
      {metrics.groups.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing was decided in the {WINDOW_LABEL[window]}.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">
              Decisions by {label.toLowerCase()}, {WINDOW_LABEL[window]}, most decided first
            </caption>
            <thead className="border-b border-slate-200 text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">{label}</th>
                {["Decided", "Approved", "Rejected", "Expired", "p50", "p90", "p99", "SLA breaches"].map((h) => (
                  <th key={h} scope="col" className="py-1 pr-3 text-right font-medium">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              {metrics.groups.map((g) => (
                <tr key={g.key ?? "(none)"}>
                  <th scope="row" className="py-1.5 pr-3 font-normal">
                    <span className="break-all">{groupLabel(g.key)}</span>
                    {g.key === busiest && <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs font-semibold text-sky-900">most decisions</span>}
                    {g.key === slowest && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">slowest p90</span>}
                  </th>
                  <td className="py-1.5 pr-3 text-right">{g.decided}</td>
                  <td className="py-1.5 pr-3 text-right">{g.approved}</td>
                  <td className="py-1.5 pr-3 text-right">{g.rejected}</td>
                  <td className="py-1.5 pr-3 text-right">{g.expired}</td>
                  <td className="py-1.5 pr-3 text-right">{formatDuration(g.time_to_decision_sec.p50)}</td>
                  <td className="py-1.5 pr-3 text-right">{formatDuration(g.time_to_decision_sec.p90)}</td>
                  <td className="py-1.5 pr-3 text-right">{formatDuration(g.time_to_decision_sec.p99)}</td>
                  <td className={`py-1.5 pr-3 text-right ${g.sla_breaches > 0 ? "font-semibold text-amber-800" : ""}`}>
                    {g.sla_breaches} <span className="text-xs font-normal text-slate-600">({formatPercent(g.sla_breach_rate)})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
