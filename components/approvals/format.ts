/** "4m", "2h 5m", "3d": short enough for a queue row. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** "3 minutes ago" style, for history and conflicts. */
export function ago(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (ms < 45_000) return "just now";
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"} ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} hour${h === 1 ? "" : "s"} ago`;
  const d = Math.round(h / 24);
  return `${d} days ago`;
}

export function localTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "finance 1/2 · security 0/1" */
export function progressLabel(reqs: { roles: string[]; count: number; approvals: number }[]): string {
  return reqs.map((r) => `${r.roles.join(" or ")} ${Math.min(r.approvals, r.count)}/${r.count}`).join(" · ");
}

/** Who asked, as a person would say it. */
export function requester(job: { requested_by: string; on_behalf_of: string | null }): string {
  return job.on_behalf_of ? `${job.requested_by} for ${job.on_behalf_of}` : job.requested_by;
}
