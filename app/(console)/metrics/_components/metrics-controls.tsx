"use client";

import { GROUPINGS, WINDOWS, type MetricsGrouping, type MetricsWindow } from "@/lib/client/use-metrics";
import { GROUPING_LABEL } from "./format";

const WINDOW_BUTTON = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" } as const;

/** Window as a segmented radio group, grouping as a select; both live in the URL. */
export function MetricsControls({ window, groupBy, onChange }: { window: MetricsWindow; groupBy: MetricsGrouping; onChange: (next: { window?: MetricsWindow; groupBy?: MetricsGrouping }) => void }) {
  return (
    <div className="flex flex-wrap items-end gap-4">
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Window</legend>
        <div className="inline-flex overflow-hidden rounded-md border border-slate-300 text-sm">
          {WINDOWS.map((w) => (
            <label key={w} className={`relative cursor-pointer px-3 py-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-600 ${w === window ? "bg-slate-900 text-white" : "bg-white text-slate-700 hover:bg-slate-100"}`}>
              <input type="radio" name="window" value={w} checked={w === window} onChange={() => onChange({ window: w })} className="absolute inset-0 cursor-pointer opacity-0" />
              {WINDOW_BUTTON[w]}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="text-sm">
        <span className="mb-1 block font-medium text-slate-700">Break down by</span>
        <select value={groupBy} onChange={(e) => onChange({ groupBy: e.target.value as MetricsGrouping })} className="rounded-md border border-slate-300 bg-white px-2 py-1">
          {GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {GROUPING_LABEL[g]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
