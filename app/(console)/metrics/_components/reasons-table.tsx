"use client";

import type { DecisionMetrics, MetricsWindow } from "@/lib/client/use-metrics";
import { ExportButton } from "./export-button";
import { formatPercent, WINDOW_LABEL } from "./format";

/** Why requests were rejected, most common first (the service already orders them). */
export function ReasonsTable({ overall, window }: { overall: DecisionMetrics; window: MetricsWindow }) {
  const reasons = overall.groups[0]?.rejection_reasons ?? [];
  const total = reasons.reduce((n, r) => n + r.count, 0);
  const rows = reasons.map((r, i) => [i + 1, r.reason, r.count, total ? Math.round((r.count / total) * 10_000) / 10_000 : 0]);
  return (
    <section aria-labelledby="reasons-title" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="reasons-title" className="text-base font-semibold">
          Rejection reasons
        </h2>
        <ExportButton table="rejection-reasons" window={window} label="rejection reasons" header={["rank", "reason", "count", "share"]} rows={rows} />
      </div>
      {reasons.length === 0 ? (
        <p className="text-sm text-slate-600">No rejections in the {WINDOW_LABEL[window]}.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Rejection reasons, {WINDOW_LABEL[window]}, most common first</caption>
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col" className="w-12 py-1 pr-3 font-medium">#</th>
              <th scope="col" className="py-1 pr-3 font-medium">Reason</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Count</th>
              <th scope="col" className="py-1 text-right font-medium">Share</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {reasons.map((r, i) => (
              <tr key={r.reason}>
                <td className="py-1.5 pr-3 text-slate-600">{i + 1}</td>
                <th scope="row" className="py-1.5 pr-3 font-normal break-words">{r.reason}</th>
                <td className="py-1.5 pr-3 text-right">{r.count}</td>
                <td className="py-1.5 text-right">{formatPercent(total ? r.count / total : 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
