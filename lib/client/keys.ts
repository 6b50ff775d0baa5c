/** Rows per queue page (the API allows up to 200). */
export const PAGE_SIZE = 100;

/** Filters the queue keeps in the URL. */
export interface QueueFilters {
  rule_id?: string;
  risk_tag?: string;
  topic?: string;
  actionable?: boolean;
}

export const FILTER_KEYS = ["rule_id", "risk_tag", "topic", "actionable"] as const;

/** Query keys in one place, so live updates and mutations invalidate exactly what they should. */
export const approvalKeys = {
  all: ["approvals"] as const,
  queue: (f: QueueFilters) => ["approvals", "queue", normalise(f)] as const,
  history: (f: QueueFilters) => ["approvals", "history", normalise(f)] as const,
  topic: (topic: string) => ["approvals", "topic", topic] as const,
};

export const jobKeys = {
  all: ["jobs"] as const,
  detail: (id: string) => ["jobs", id] as const,
};

export const policyKeys = {
  all: ["policy"] as const,
  active: () => ["policy", "active"] as const,
  snapshots: () => ["policy", "snapshots"] as const,
  budgets: () => ["policy", "budgets"] as const,
};

function normalise(f: QueueFilters): QueueFilters {
  const out: QueueFilters = {};
  if (f.rule_id) out.rule_id = f.rule_id;
  if (f.risk_tag) out.risk_tag = f.risk_tag;
  if (f.topic) out.topic = f.topic;
  if (f.actionable) out.actionable = true;
  return out;
}

/** The API query string for a page of the queue. */
export function queueSearch(f: QueueFilters, opts: { resolved?: boolean; cursor?: string | null; limit?: number }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(normalise(f))) q.set(k, String(v));
  if (opts.resolved) q.set("include_resolved", "true");
  if (opts.cursor) q.set("cursor", opts.cursor);
  q.set("limit", String(opts.limit ?? 100));
  return q.toString();
}

/** Read filters from URL search params, keeping only well-formed values. */
export function filtersFrom(params: { get(name: string): string | null }): QueueFilters {
  const f: QueueFilters = {};
  const rule = params.get("rule_id")?.trim();
  const tag = params.get("risk_tag")?.trim();
  const topic = params.get("topic")?.trim();
  if (rule && rule.length <= 200) f.rule_id = rule;
  if (tag && /^[a-z0-9_-]{1,64}$/.test(tag)) f.risk_tag = tag;
  if (topic && /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(topic) && topic.length <= 200) f.topic = topic;
  if (params.get("actionable") === "true") f.actionable = true;
  return f;
}

export const adminKeys = {
  all: ["admin"] as const,
  users: () => ["admin", "users"] as const,
  tokens: (includeRevoked: boolean) => ["admin", "tokens", includeRevoked] as const,
};
