// No "use client": the metrics page (a server component) shares the keys and URL parsing below.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { dailyPercentiles } from "@/lib/services/metrics/daily";
import type { decisionMetrics } from "@/lib/services/metrics/decisions";
import type { shadowMetrics } from "@/lib/services/metrics/shadow";
import { api } from "./api";

export type DecisionMetrics = Awaited<ReturnType<typeof decisionMetrics>>;
export type MetricsGroup = DecisionMetrics["groups"][number];
export type DailyMetrics = Awaited<ReturnType<typeof dailyPercentiles>>;
export type ShadowMetrics = Awaited<ReturnType<typeof shadowMetrics>>;

export const WINDOWS = ["24h", "7d", "30d"] as const;
export type MetricsWindow = (typeof WINDOWS)[number];
/** Breakdowns the page offers (overall is the headline, always shown). */
export const GROUPINGS = ["rule", "tier", "approver", "topic"] as const;
export type MetricsGrouping = (typeof GROUPINGS)[number];

export const metricsKeys = {
  all: ["metrics"] as const,
  decisions: (window: MetricsWindow, groupBy: MetricsGrouping | "overall") => ["metrics", "decisions", window, groupBy] as const,
  daily: (window: MetricsWindow) => ["metrics", "daily", window] as const,
  shadow: (window: MetricsWindow) => ["metrics", "shadow", window] as const,
};

/** Read the window and grouping from URL search params, falling back to 7d by rule. */
export function metricsParams(params: { get(name: string): string | null }): { window: MetricsWindow; groupBy: MetricsGrouping } {
  const w = params.get("window");
  const g = params.get("group_by");
  return {
    window: (WINDOWS as readonly string[]).includes(w ?? "") ? (w as MetricsWindow) : "7d",
    groupBy: (GROUPINGS as readonly string[]).includes(g ?? "") ? (g as MetricsGrouping) : "rule",
  };
}

// Switching the window keeps the old numbers on screen (marked as updating) instead of flashing empty.
export function useDecisionMetrics(window: MetricsWindow, groupBy: MetricsGrouping | "overall") {
  return useQuery({
    queryKey: metricsKeys.decisions(window, groupBy),
    queryFn: ({ signal }) => api<DecisionMetrics>(`/api/v1/metrics/decisions?window=${window}&group_by=${groupBy}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDailyMetrics(window: MetricsWindow) {
  return useQuery({
    queryKey: metricsKeys.daily(window),
    queryFn: ({ signal }) => api<DailyMetrics>(`/api/v1/metrics/daily?window=${window}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useShadowMetrics(window: MetricsWindow) {
  return useQuery({
    queryKey: metricsKeys.shadow(window),
    queryFn: ({ signal }) => api<ShadowMetrics>(`/api/v1/metrics/shadow?window=${window}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
