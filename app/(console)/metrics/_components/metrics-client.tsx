"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useState } from "react";
import { metricsParams, useDailyMetrics, useDecisionMetrics, type MetricsGrouping, type MetricsWindow } from "@/lib/client/use-metrics";
import { BreakdownTable } from "./breakdown-table";
import { DailyChart } from "./daily-chart";
import { WINDOW_LABEL } from "./format";
import { Headline } from "./headline";
import { MetricsControls } from "./metrics-controls";
import { ReasonsTable } from "./reasons-table";
import { ShadowRules } from "./shadow-rules";

export function MetricsClient() {
  const pathname = usePathname();
  const params = useSearchParams();
  const fromUrl = metricsParams(params);
  // The selection answers the click at once; the URL follows. A change of URL from elsewhere (a nav
  // link, a pasted address) wins over the local choice.
  const [selection, setSelection] = useState(fromUrl);
  const urlKey = `${fromUrl.window}|${fromUrl.groupBy}`;
  const [seenUrlKey, setSeenUrlKey] = useState(urlKey);
  if (urlKey !== seenUrlKey) {
    setSeenUrlKey(urlKey);
    setSelection(fromUrl);
  }
  const { window, groupBy } = selection;
  const overall = useDecisionMetrics(window, "overall");
  const grouped = useDecisionMetrics(window, groupBy);
  const daily = useDailyMetrics(window);

  const change = (next: { window?: MetricsWindow; groupBy?: MetricsGrouping }) => {
    const merged = { window: next.window ?? window, groupBy: next.groupBy ?? groupBy };
    setSelection(merged);
    const q = new URLSearchParams(params.toString());
    q.set("window", merged.window);
    q.set("group_by", merged.groupBy);
    // The native History API keeps Next's router and useSearchParams in step without a server
    // round trip: the queries above already fetch the new window in the browser.
    history.replaceState(null, "", `${pathname}?${q.toString()}`);
  };

  const error = overall.error ?? grouped.error ?? daily.error;
  const updating = overall.isPlaceholderData || grouped.isPlaceholderData || daily.isPlaceholderData;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Metrics</h1>
          <p className="text-sm text-slate-600">
            Time to decision and where it goes, {WINDOW_LABEL[window]}.{" "}
            <span role="status" className="text-slate-500">
              {updating ? "Updating…" : ""}
            </span>
          </p>
        </div>
        <MetricsControls window={window} groupBy={groupBy} onChange={change} />
      </div>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          Could not load the metrics: {error.message}
        </p>
      )}
      <div aria-busy={updating} className={`space-y-4 ${updating ? "opacity-70" : ""}`}>
        {overall.data && <Headline overall={overall.data} window={window} />}
        {daily.data && <DailyChart daily={daily.data} window={window} />}
        <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
          {grouped.data && <BreakdownTable metrics={grouped.data} groupBy={groupBy} window={window} />}
          {overall.data && <ReasonsTable overall={overall.data} window={window} />}
        </div>
        <ShadowRules window={window} />
      </div>
    </div>
  );
}
