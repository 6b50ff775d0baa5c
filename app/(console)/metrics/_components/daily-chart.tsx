"use client";

import type { DailyMetrics, MetricsWindow } from "@/lib/client/use-metrics";
import { ExportButton } from "./export-button";
import { formatDuration, WINDOW_LABEL } from "./format";
import { PercentileChart, type Point } from "./percentile-chart";

type Bucket = Point & { key: string };

/**
 * Time-to-decision percentiles per day (per hour for the 24 h window): a chart, and the same numbers
 * as a table for screen readers.
 */
export function DailyChart({ daily, window }: { daily: DailyMetrics; window: MetricsWindow }) {
  const unit = window === "24h" && daily.hours ? "hour" : "day";
  const buckets: Bucket[] =
    unit === "hour"
      ? daily.hours!.map((h) => ({ key: h.hour, label: h.hour.slice(11, 16), decided: h.decided, ...h.time_to_decision_sec }))
      : daily.days.map((d) => ({ key: d.day, label: d.day.slice(5), decided: d.decided, ...d.time_to_decision_sec }));
  const busy = buckets.filter((b) => b.decided > 0);
  const any = busy.length > 0;
  const header = [unit, "decided", "p50_sec", "p90_sec", "p99_sec"];
  const rows = buckets.map((b) => [b.key, b.decided, b.p50, b.p90, b.p99]);
  const title = `Time to decision per ${unit}`;
  return (
    <section aria-labelledby="daily-title" className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="daily-title" className="text-base font-semibold">
        {title}
      </h2>
      <p className="text-sm text-slate-600">From request to the human decision, by UTC {unit}; expiries are not counted here.</p>
      {busy.length === 1 && (
        <p className="text-sm text-slate-700">
          {busy[0]!.decided === 1 ? "The one decision" : `All ${busy[0]!.decided} decisions`} of the {WINDOW_LABEL[window]} fell on{" "}
          {unit === "hour" ? `the hour from ${busy[0]!.label} UTC` : busy[0]!.key}: the chart shows its percentiles as bars.
        </p>
      )}
      {!any ? (
        <p className="text-sm text-slate-600">No human decisions in the {WINDOW_LABEL[window]}.</p>
      ) : (
        <div
          role="img"
          aria-label={`Chart of time to decision per ${unit} (p50, p90 and p99) for the ${WINDOW_LABEL[window]}. The same numbers are in the table "${title}, as a table" below.`}
          className="h-64 w-full"
        >
          {/* The label above and the table below speak for the chart; its SVG parts would only be noise. */}
          <div aria-hidden="true" className="h-full w-full">
            <PercentileChart points={buckets} />
          </div>
        </div>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-700">Show the numbers as a table</summary>
        <div className="mt-2 space-y-2">
          <div className="flex justify-end">
            <ExportButton table="daily" window={window} label={`time to decision per ${unit}`} header={header} rows={rows} />
          </div>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{title}, as a table</caption>
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">{unit === "hour" ? "Hour (UTC)" : "Day (UTC)"}</th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">Decided</th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">p50</th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">p90</th>
                  <th scope="col" className="py-1 text-right font-medium">p99</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {buckets.map((b) => (
                  <tr key={b.key}>
                    <th scope="row" className="py-1 pr-3 font-normal">{unit === "hour" ? b.key.slice(0, 16).replace("T", " ") : b.key}</th>
                    <td className="py-1 pr-3 text-right">{b.decided}</td>
                    <td className="py-1 pr-3 text-right">{formatDuration(b.p50)}</td>
                    <td className="py-1 pr-3 text-right">{formatDuration(b.p90)}</td>
                    <td className="py-1 text-right">{formatDuration(b.p99)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </details>
    </section>
  );
}
