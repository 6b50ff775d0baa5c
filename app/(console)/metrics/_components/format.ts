/** Seconds as a short duration a person reads at a glance: 45s, 12m, 3h 5m, 2d 4h. */
export function formatDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined) return "—";
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

export function formatPercent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

export const WINDOW_LABEL = { "24h": "last 24 hours", "7d": "last 7 days", "30d": "last 30 days" } as const;
export const GROUPING_LABEL = { rule: "Rule", tier: "Tier", approver: "Approver", topic: "Topic" } as const;
