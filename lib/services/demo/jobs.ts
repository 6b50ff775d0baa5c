import "server-only";
import type { SubmitJobBody } from "@/lib/services/jobs/schemas";

/**
 * Job templates for the demo tenant: one builder per kind of work an agent proposes, written so a
 * reviewer recognises it (title, description, labels, payload). The seeded history calls them with
 * fixed arguments; the ticker calls `randomJob` for varied payloads (so job hashes differ).
 * Which rule of the default policy each one meets is noted beside it.
 */

export type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length) % items.length]!;
const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const money = (n: number) => n.toFixed(2);

export const SERVICES = ["checkout-api", "billing-api", "search-indexer", "auth-gateway", "notifications", "inventory-svc", "payments-worker"] as const;
const CUSTOMERS = ["Acme GmbH", "Northwind Traders", "Globex Ltd", "Initech", "Umbrella Retail", "Blue Sky Bakery", "Stark Logistics"] as const;
const VENDORS = ["Hetzner Online", "Datadog Inc", "Contoso Print", "Fabrikam Consulting", "CloudFlare Inc"] as const;
const PEOPLE = ["j.doe", "k.tanaka", "l.moreau", "r.singh", "t.nguyen", "v.petrova"] as const;
const BUCKETS = ["ci-artifacts", "app-logs-archive", "customer-exports", "staging-backups"] as const;

const ticket = (rng: Rng, prefix = "OPS") => `${prefix}-${between(rng, 1200, 4999)}`;

// ---- production writes: prod-write-gate (service-owner or oncall, 1 approval; escalates to eng-manager)

export function deployRelease(a: {
  service: string;
  version: string;
  from: string;
  changelog: string[];
  rollbackPlan: string | null;
  ticket: string;
  onBehalfOf?: string;
}): SubmitJobBody {
  return {
    topic: "job.deploy.release",
    risk_tags: ["prod", "write"],
    title: `Deploy ${a.service} ${a.version} to production`,
    description: `Roll out ${a.service} ${a.version} (currently ${a.from}) to all production regions, 10% canary first.\n` +
      `Changes:\n${a.changelog.map((c) => `- ${c}`).join("\n")}` +
      (a.rollbackPlan ? `\nRollback: ${a.rollbackPlan}` : ""),
    labels: { service: a.service, env: "prod", ticket: a.ticket },
    payload: {
      service: a.service,
      version: a.version,
      previous_version: a.from,
      strategy: "canary",
      changelog: a.changelog,
      ...(a.rollbackPlan ? { rollback_plan: a.rollbackPlan } : {}),
    },
    ...(a.onBehalfOf ? { on_behalf_of: a.onBehalfOf } : {}),
  };
}

export function configUpdate(a: { service: string; key: string; from: string | number | boolean; to: string | number | boolean; why: string; ticket: string }): SubmitJobBody {
  return {
    topic: "job.config.update",
    risk_tags: ["prod", "write"],
    title: `Set ${a.key} = ${String(a.to)} on ${a.service} (prod)`,
    description: `${a.why}\nCurrent value: ${String(a.from)}. Applied by config reload, no restart.`,
    labels: { service: a.service, env: "prod", ticket: a.ticket },
    payload: { service: a.service, key: a.key, from: a.from, to: a.to },
  };
}

export function dbMigrate(a: { service: string; database: string; migration: string; statements: string[]; lockMs: number; ticket: string }): SubmitJobBody {
  return {
    topic: "job.db.migrate",
    risk_tags: ["prod", "write"],
    title: `Run migration ${a.migration} on ${a.database} (prod)`,
    description: `Schema change for ${a.service}. Estimated table lock: ${a.lockMs} ms.\n${a.statements.join(";\n")};`,
    labels: { service: a.service, env: "prod", ticket: a.ticket },
    payload: { database: a.database, migration: a.migration, statements: a.statements, estimated_lock_ms: a.lockMs },
  };
}

// ---- payments: in the demo policy, EUR refunds under 200 pass within a budget, up to 1,000 need one finance
// approval, payouts and larger refunds two (rejected if not decided within the hour)

export function paymentRefund(a: { amount: number; currency: string; customer: string; invoice: string; why: string; ticket: string; onBehalfOf?: string }): SubmitJobBody {
  return {
    topic: "job.payment.refund",
    risk_tags: ["payment"],
    title: `Refund ${money(a.amount)} ${a.currency} to ${a.customer}`,
    description: `${a.why}\nInvoice ${a.invoice}; refund to the original payment method.`,
    labels: { service: "billing-api", env: "prod", ticket: a.ticket },
    // A number, so the demo policy's conditions and budget can read it.
    payload: { amount: Number(money(a.amount)), currency: a.currency, customer: a.customer, invoice: a.invoice, method: "original" },
    ...(a.onBehalfOf ? { on_behalf_of: a.onBehalfOf } : {}),
  };
}

export function paymentPayout(a: { amount: number; currency: string; vendor: string; invoice: string; ibanLast4: string; ticket: string }): SubmitJobBody {
  return {
    topic: "job.payment.payout",
    risk_tags: ["payment"],
    title: `Pay ${a.vendor} ${money(a.amount)} ${a.currency} (invoice ${a.invoice})`,
    description: `Vendor payout for invoice ${a.invoice}, due this week. Bank account ending ${a.ibanLast4} (on file since onboarding).`,
    labels: { service: "payments-worker", env: "prod", ticket: a.ticket },
    payload: { amount: money(a.amount), currency: a.currency, vendor: a.vendor, invoice: a.invoice, iban_last4: a.ibanLast4 },
  };
}

// ---- access: access-grant-gate (two distinct security approvals)

export function accessGrant(a: { user: string; role: string; system: string; duration: string; why: string; ticket: string; onBehalfOf?: string }): SubmitJobBody {
  return {
    topic: "job.access.grant",
    risk_tags: ["access"],
    title: `Grant ${a.user} ${a.role} on ${a.system} for ${a.duration}`,
    description: `${a.why}\nAccess is revoked automatically after ${a.duration}.`,
    labels: { service: a.system, env: "prod", ticket: a.ticket },
    payload: { user: a.user, role: a.role, system: a.system, duration: a.duration },
    ...(a.onBehalfOf ? { on_behalf_of: a.onBehalfOf } : {}),
  };
}

// ---- destructive: destructive-delete-gate (two distinct service-owner/oncall approvals)

export function storageDelete(a: { bucket: string; prefix: string; objects: number; sizeGb: number; why: string; ticket: string }): SubmitJobBody {
  return {
    topic: "job.storage.delete",
    risk_tags: ["destructive"],
    title: `Delete ${a.objects.toLocaleString("en-US")} objects under s3://${a.bucket}/${a.prefix}`,
    description: `${a.why}\nAbout ${a.sizeGb} GB; the bucket has no versioning, so this cannot be undone.`,
    labels: { service: "storage", env: "prod", ticket: a.ticket },
    payload: { bucket: a.bucket, prefix: a.prefix, object_count: a.objects, size_gb: a.sizeGb },
  };
}

// ---- decided by the policy alone

/** ticket-update: allowed with constraints (max 30 s runtime). */
export function ticketUpdate(a: { ticket: string; status: string; comment: string }): SubmitJobBody {
  return {
    topic: "job.ticket.update",
    risk_tags: [],
    title: `Update ${a.ticket}: ${a.status}`,
    labels: { ticket: a.ticket },
    payload: { ticket: a.ticket, status: a.status, comment: a.comment },
  };
}

/** egress-bounded: allowed with constraints (network allowlist). */
export function slackNotify(a: { channel: string; text: string }): SubmitJobBody {
  return {
    topic: "job.notify.slack",
    risk_tags: ["egress"],
    title: `Post to ${a.channel}`,
    labels: { channel: a.channel },
    payload: { channel: a.channel, text: a.text },
  };
}

/** allow-read. */
export function repoRead(a: { repo: string; path: string; ref: string }): SubmitJobBody {
  return {
    topic: "job.repo.read",
    risk_tags: [],
    title: `Read ${a.repo}/${a.path}@${a.ref}`,
    labels: { repo: a.repo },
    payload: { repo: a.repo, path: a.path, ref: a.ref },
  };
}

/** allow-read. */
export function logsList(a: { service: string; since: string; query: string }): SubmitJobBody {
  return {
    topic: "job.logs.list",
    risk_tags: [],
    title: `List ${a.service} logs (last ${a.since})`,
    labels: { service: a.service, env: "prod" },
    payload: { service: a.service, since: a.since, query: a.query },
  };
}

/** no-prod-drop: denied whatever else matches (deny beats every other decision). */
export function dbDrop(a: { database: string; why: string }): SubmitJobBody {
  return {
    topic: "job.db.drop",
    risk_tags: ["prod", "write", "destructive"],
    title: `Drop database ${a.database} (prod)`,
    description: a.why,
    labels: { service: a.database, env: "prod" },
    payload: { database: a.database, cascade: true },
  };
}

// ---- random variants for the ticker

interface Template {
  weight: number;
  gated: boolean;
  make: (rng: Rng) => SubmitJobBody;
}

const version = (rng: Rng) => {
  const major = between(rng, 1, 4);
  const minor = between(rng, 0, 30);
  return { from: `${major}.${minor}.${between(rng, 0, 9)}`, to: `${major}.${minor + 1}.0` };
};

/** Weights: about half the traffic waits for people, a little is denied, the rest runs at once. */
export const TEMPLATES: readonly Template[] = [
  { weight: 12, gated: true, make: (r) => {
    const v = version(r);
    return deployRelease({
      service: pick(r, SERVICES), version: v.to, from: v.from, ticket: ticket(r, "REL"),
      changelog: [pick(r, ["Fix retry storm on upstream timeouts", "Upgrade TLS library", "Add idempotency keys to webhooks", "Reduce p99 latency of list endpoint"])],
      rollbackPlan: r() < 0.85 ? `Redeploy ${v.from}; no schema changes in this release` : null,
    });
  } },
  { weight: 10, gated: true, make: (r) => {
    const key = pick(r, ["http.timeout_ms", "pool.max_connections", "ratelimit.per_minute", "cache.ttl_sec"]);
    const from = between(r, 10, 200) * 10;
    return configUpdate({ service: pick(r, SERVICES), key, from, to: from + between(r, 1, 20) * 10, why: "Tuning after last night's latency alert.", ticket: ticket(r, "INC") });
  } },
  { weight: 4, gated: true, make: (r) => {
    const n = between(r, 40, 99);
    return dbMigrate({ service: pick(r, SERVICES), database: pick(r, ["orders", "billing", "identity"]), migration: `20240${between(r, 1, 9)}_${n}_add_index`, statements: [`CREATE INDEX CONCURRENTLY idx_${n} ON events (created_at)`], lockMs: between(r, 0, 800), ticket: ticket(r, "DB") });
  } },
  { weight: 10, gated: true, make: (r) => paymentRefund({ amount: between(r, 1500, 95000) / 100, currency: pick(r, ["EUR", "USD", "GBP"]), customer: pick(r, CUSTOMERS), invoice: `INV-${between(r, 10000, 99999)}`, why: pick(r, ["Duplicate charge reported by the customer.", "Order cancelled before shipping.", "Service credit for the outage on Monday."]), ticket: ticket(r, "SUP") }) },
  { weight: 4, gated: true, make: (r) => paymentPayout({ amount: between(r, 200000, 4500000) / 100, currency: "EUR", vendor: pick(r, VENDORS), invoice: `V-${between(r, 1000, 9999)}`, ibanLast4: String(between(r, 1000, 9999)), ticket: ticket(r, "AP") }) },
  { weight: 6, gated: true, make: (r) => accessGrant({ user: `${pick(r, PEOPLE)}@demo.example`, role: pick(r, ["db-readonly", "prod-shell", "billing-admin", "kms-decrypt"]), system: pick(r, ["postgres-prod", "k8s-prod", "billing-console", "aws-prod"]), duration: pick(r, ["2h", "8h", "24h"]), why: "Needed to investigate an open incident.", ticket: ticket(r, "SEC") }) },
  { weight: 4, gated: true, make: (r) => storageDelete({ bucket: pick(r, BUCKETS), prefix: `2023/${String(between(r, 1, 12)).padStart(2, "0")}/`, objects: between(r, 1000, 250000), sizeGb: between(r, 5, 900), why: "Past the 12-month retention period.", ticket: ticket(r, "OPS") }) },
  { weight: 16, gated: false, make: (r) => ticketUpdate({ ticket: ticket(r, "SUP"), status: pick(r, ["in progress", "waiting on customer", "resolved"]), comment: "Status synced from the deployment pipeline." }) },
  { weight: 6, gated: false, make: (r) => slackNotify({ channel: pick(r, ["#deploys", "#incidents", "#billing"]), text: `Nightly report ${between(r, 1, 9999)} is ready.` }) },
  { weight: 14, gated: false, make: (r) => repoRead({ repo: `demo/${pick(r, SERVICES)}`, path: pick(r, ["README.md", "src/config.ts", "deploy/values.yaml", "CHANGELOG.md"]), ref: `${between(r, 0x100000, 0xffffff).toString(16)}` }) },
  { weight: 12, gated: false, make: (r) => logsList({ service: pick(r, SERVICES), since: pick(r, ["15m", "1h", "6h"]), query: pick(r, ["level:error", "status:5xx", `trace_id:${between(r, 1e6, 9e6)}`]) }) },
  { weight: 2, gated: false, make: (r) => dbDrop({ database: pick(r, ["orders", "billing"]), why: "Cleanup after the data migration finished." }) },
];

/** One job body from the weighted templates. */
export function randomJob(rng: Rng = Math.random): SubmitJobBody {
  const total = TEMPLATES.reduce((s, t) => s + t.weight, 0);
  let roll = rng() * total;
  for (const t of TEMPLATES) {
    roll -= t.weight;
    if (roll < 0) return t.make(rng);
  }
  return TEMPLATES[0]!.make(rng);
}
