"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { DailyMetrics, MetricsWindow } from "@/lib/client/use-metrics";
import { ExportButton } from "./export-button";
import { formatDuration, WINDOW_LABEL } from "./format";

// Colour and dash pattern both tell the lines apart, so the chart also reads in greyscale.
const SERIES = [
  { key: "p50", name: "p50 (median)", color: "#0f766e", dash: undefined },
  { key: "p90", name: "p90", color: "#b45309", dash: "6 3" },
  { key: "p99", name: "p99", color: "#7c3aed", dash: "2 3" },
] as const;

/** Time-to-decision percentiles per day: a line chart, and the same numbers as a table for screen readers. */
export function DailyChart({ daily, window }: { daily: DailyMetrics; window: MetricsWindow }) {
  const data = daily.days.map((d) => ({ day: d.day.slice(5), ...d.time_to_decision_sec }));
  const any = daily.days.some((d) => d.decided > 0);
  const header = ["day", "decided", "p50_sec", "p90_sec", "p99_sec"];
  const rows = daily.days.map((d) => [d.day, d.decided, d.time_to_decision_sec.p50, d.time_to_decision_sec.p90, d.time_to_decision_sec.p99]);
  return (
    <section aria-labelledby="daily-title" className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="daily-title" className="text-base font-semibold">
        Time to decision per day
      </h2>
      <p className="text-sm text-slate-600">From request to the human decision, by UTC day; expiries are not counted here.</p>
      {!any ? (
        <p className="text-sm text-slate-600">No human decisions in the {WINDOW_LABEL[window]}.</p>
      ) : (
        <div
          role="img"
          aria-label={`Line chart of time to decision per day (p50, p90 and p99) for the ${WINDOW_LABEL[window]}. The same numbers are in the table "Time to decision per day, as a table" below.`}
          className="h-64 w-full"
        >
          {/* The label above and the table below speak for the chart; its SVG parts would only be noise. */}
          <div aria-hidden="true" className="h-full w-full">
            <LineChart responsive accessibilityLayer={false} data={data} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
              <XAxis dataKey="day" tick={{ fontSize: 12, fill: "#475569" }} />
              <YAxis tickFormatter={(v: number) => formatDuration(v)} tick={{ fontSize: 12, fill: "#475569" }} width={56} />
              <Tooltip formatter={(v) => formatDuration(typeof v === "number" ? v : null)} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {SERIES.map((s) => (
                <Line key={s.key} type="monotone" dataKey={s.key} name={s.name} stroke={s.color} strokeDasharray={s.dash} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
              ))}
            </LineChart>
          </div>
        </div>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-700">Show the numbers as a table</summary>
        <div className="mt-2 space-y-2">
          <div className="flex justify-end">
            <ExportButton table="daily" window={window} label="time to decision per day" header={header} rows={rows} />
          </div>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Time to decision per day, as a table</caption>
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">Day (UTC)</th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">Decided</th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">p50</th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">p90</th>
                  <th scope="col" className="py-1 text-right font-medium">p99</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {daily.days.map((d) => (
                  <tr key={d.day}>
                    <th scope="row" className="py-1 pr-3 font-normal">{d.day}</th>
                    <td className="py-1 pr-3 text-right">{d.decided}</td>
                    <td className="py-1 pr-3 text-right">{formatDuration(d.time_to_decision_sec.p50)}</td>
                    <td className="py-1 pr-3 text-right">{formatDuration(d.time_to_decision_sec.p90)}</td>
                    <td className="py-1 text-right">{formatDuration(d.time_to_decision_sec.p99)}</td>
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
