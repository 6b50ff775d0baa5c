import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db, DbHandle } from "@/lib/db/client";
import { tokens, users } from "@/lib/db/schema";
import { resolveVote, type VoteKind } from "@/lib/services/approvals/resolve";
import { SCOPES, SYSTEM_TENANT, contextOf, scopesForRoles, type Ctx, type Principal, type Scope } from "@/lib/services/context";
import { claimJob } from "@/lib/services/jobs/claim";
import { completeJob } from "@/lib/services/jobs/complete";
import { SubmitJobBody, type JobItem } from "@/lib/services/jobs/schemas";
import { submitJob } from "@/lib/services/jobs/submit";
import { AGENT_FORBIDDEN } from "@/lib/services/provisioning/schemas";
import { insertTenant } from "@/lib/services/provisioning/tenants";
import { createToken } from "@/lib/services/provisioning/tokens";
import { createUser } from "@/lib/services/provisioning/users";
import { Conflict } from "@/lib/services/errors";
import { DEMO_POLICY_YAML } from "@/lib/policy/demo-policy";
import * as J from "./jobs";

export const DEMO_TENANT = "demo";
export const DEMO_PASSWORD = "demo-password-1";
export const DEMO_AGENT = "demo-agent";
const DOMAIN = "demo.example";
const AGENT_SCOPES = ["jobs:submit", "jobs:read", "jobs:execute"] as const satisfies readonly Scope[];
const MIN = 60_000;

/** One person per role, two where the policy asks for two distinct approvers (finance, security). */
const PEOPLE = [
  { local: "ada", name: "Ada Okafor", roles: ["service-owner"] },
  { local: "omar", name: "Omar Haddad", roles: ["oncall", "reviewer"] },
  { local: "fay", name: "Fay Lindqvist", roles: ["finance"] },
  { local: "finn", name: "Finn Murphy", roles: ["finance"] },
  { local: "sam", name: "Sam Rivera", roles: ["security"] },
  { local: "sara", name: "Sara Nakamura", roles: ["security"] },
  { local: "erin", name: "Erin Walsh", roles: ["eng-manager"] },
  { local: "mia", name: "Mia Chen", roles: ["manager"] },
  { local: "alex", name: "Alex Novak", roles: ["admin", "manager"] },
  // The person the agent works for: owner of its token, so never an approver of its jobs.
  { local: "paul", name: "Paul Becker", roles: ["requester"] },
] as const;
type Person = (typeof PEOPLE)[number]["local"];
const email = (who: Person) => `${who}@${DOMAIN}`;

export interface DemoSeed {
  tenant: string;
  password: string;
  users: { email: string; name: string | null; roles: string[] }[];
  /** The agent's bearer secret, only when it was minted by this call (a secret is shown once). */
  agentToken: string | null;
  /** True when this call created the tenant (and seeded its history). */
  created: boolean;
}

const ADMIN: Principal = { kind: "admin", tenantId: SYSTEM_TENANT, scopes: new Set(SCOPES), tokenId: null };

/**
 * Fill a demo tenant: people for every role, an agent token, and a few hours of realistic history.
 * Safe to run at every start: an existing tenant only gets missing people or a missing agent token,
 * never a second history.
 */
export async function seedDemo(database: DbHandle, now: Date, opts: { tenant?: string } = {}): Promise<DemoSeed> {
  const tenant = opts.tenant ?? DEMO_TENANT;
  const { db } = database;
  // A new tenant's history starts six hours back, so people and token predate the first job.
  const createdAt = new Date(now.getTime() - 6 * 60 * MIN);
  const created = await db.transaction((tx) => insertTenant(tx, { id: tenant, name: "Demo Co", actor: "admin:installation", now: createdAt, policyYaml: DEMO_POLICY_YAML }));
  const admin = contextOf(database, ADMIN, created ? createdAt : now);

  const people = await ensurePeople(admin, tenant);
  let token = await findAgentToken(db, tenant);
  let agentToken: string | null = null;
  if (!token) {
    const minted = await createToken({
      ctx: admin,
      input: { tenant, kind: "agent", name: DEMO_AGENT, scopes: [...AGENT_SCOPES], owner_email: email("paul") },
    });
    agentToken = minted.token;
    token = await findAgentToken(db, tenant);
  }
  if (created && token) await seedHistory({ database, agent: agentPrincipal(token), people }, now);

  return {
    tenant,
    password: DEMO_PASSWORD,
    users: PEOPLE.map((p) => people.get(p.local)!).map(({ email, name, roles }) => ({ email, name, roles })),
    agentToken,
    created: Boolean(created),
  };
}

/** What `npm run demo` prints: who to sign in as, and the agent's token if it was just minted. */
export function describeDemoSeed(seed: DemoSeed): string[] {
  const width = Math.max(...seed.users.map((u) => u.email.length));
  return [
    `demo tenant "${seed.tenant}": sign in with any of these, password ${seed.password}`,
    ...seed.users.map((u) => `  ${u.email.padEnd(width)}  ${u.roles.join(", ")}`),
    seed.agentToken
      ? `  agent token ${DEMO_AGENT} (shown once): ${seed.agentToken}`
      : `  agent token ${DEMO_AGENT}: minted on an earlier run (its secret was shown then)`,
  ];
}

type UserInfo = { id: string; email: string; name: string | null; roles: string[] };

/** Create whoever is missing (the tenant may be half-seeded, or seeded by another instance just now). */
async function ensurePeople(admin: Ctx, tenant: string): Promise<Map<Person, UserInfo>> {
  const read = () => admin.db.select().from(users).where(eq(users.tenantId, tenant));
  const have = new Set((await read()).map((u) => u.email));
  const missing = PEOPLE.filter((p) => !have.has(email(p.local)));
  // In parallel: each creation spends most of its time hashing the password.
  await Promise.all(
    missing.map((p) =>
      createUser({ ctx: admin, input: { tenant, email: email(p.local), name: p.name, roles: [...p.roles], password: DEMO_PASSWORD } }).catch(
        (err: unknown) => {
          if (!(err instanceof Conflict)) throw err;
        },
      ),
    ),
  );
  const byEmail = new Map((await read()).map((u) => [u.email, u]));
  const out = new Map<Person, UserInfo>();
  for (const p of PEOPLE) {
    const u = byEmail.get(email(p.local));
    if (u) out.set(p.local, { id: u.id, email: u.email, name: u.name, roles: u.roles });
  }
  return out;
}

export type AgentTokenRow = typeof tokens.$inferSelect;

/** The newest live `demo-agent` token of the tenant, if any. */
export async function findAgentToken(db: Db, tenant: string): Promise<AgentTokenRow | null> {
  const [row] = await db
    .select()
    .from(tokens)
    .where(and(eq(tokens.tenantId, tenant), eq(tokens.name, DEMO_AGENT), eq(tokens.kind, "agent"), isNull(tokens.revokedAt)))
    .orderBy(desc(tokens.createdAt))
    .limit(1);
  return row ?? null;
}

/** The principal a request with this token would get (as authenticate.ts builds it). */
export function agentPrincipal(token: AgentTokenRow): Principal {
  const all: ReadonlySet<string> = new Set(SCOPES);
  const scopes = new Set(token.scopes.filter((s): s is Scope => all.has(s)));
  for (const s of AGENT_FORBIDDEN) scopes.delete(s);
  return { kind: "agent", tenantId: token.tenantId, name: token.name, ownerEmail: token.ownerEmail, tokenId: token.id, scopes };
}

// ---- the history: what the agent proposed over the last five hours and what people said

interface Vote {
  by: Person;
  vote: VoteKind;
  reason: string;
  note?: string;
  after: number; // minutes after submission
}

interface Scripted {
  ago: number; // minutes before now
  body: SubmitJobBody;
  votes?: Vote[];
  run?: { after: number; detail: string }; // the agent claims and completes it (successfully)
}

const approve = (by: Person, after: number, reason: string, note?: string): Vote => ({ by, vote: "approve", reason, note, after });
const reject = (by: Person, after: number, reason: string, note?: string): Vote => ({ by, vote: "reject", reason, note, after });

const HISTORY: Scripted[] = [
  {
    ago: 300,
    body: J.deployRelease({ service: "checkout-api", version: "2.14.0", from: "2.13.2", ticket: "REL-2041", changelog: ["Apple Pay button on the basket page", "Fix double submit on slow networks"], rollbackPlan: "Redeploy 2.13.2 from the pipeline; migrations in this release are backward compatible" }),
    votes: [approve("omar", 7, "rollback plan verified", "Canary dashboards are clean.")],
    run: { after: 9, detail: "Canary healthy for 15 minutes; rolled out to all regions." },
  },
  { ago: 290, body: J.repoRead({ repo: "demo/checkout-api", path: "deploy/values.yaml", ref: "a41c9e2" }), run: { after: 1, detail: "Read 214 lines." } },
  {
    ago: 270,
    body: J.paymentRefund({ amount: 1490, currency: "EUR", customer: "Blue Sky Bakery", invoice: "INV-48213", why: "The customer was charged twice for the annual subscription.", ticket: "SUP-3310" }),
    votes: [approve("fay", 9, "amount matches invoice"), approve("finn", 21, "duplicate charge confirmed in the processor dashboard")],
    run: { after: 23, detail: "Refund re_3PqL issued." },
  },
  {
    ago: 250,
    body: J.deployRelease({ service: "search-indexer", version: "1.9.0", from: "1.8.4", ticket: "REL-2044", changelog: ["New index format (v7)"], rollbackPlan: null }),
    votes: [reject("ada", 12, "missing rollback plan", "The index format changes; say how we go back to v6, then resubmit.")],
  },
  {
    ago: 230,
    body: J.accessGrant({ user: "k.tanaka@demo.example", role: "db-readonly", system: "postgres-prod", duration: "8h", why: "Investigating slow queries for INC-2291.", ticket: "SEC-881" }),
    votes: [approve("sam", 5, "read-only and time-boxed"), approve("sara", 14, "matches incident INC-2291")],
  },
  { ago: 210, body: J.ticketUpdate({ ticket: "SUP-3310", status: "resolved", comment: "Duplicate charge refunded." }), run: { after: 1, detail: "Ticket updated." } },
  {
    ago: 190,
    body: J.dbMigrate({ service: "checkout-api", database: "orders", migration: "20240611_add_shipping_region", statements: ["ALTER TABLE orders ADD COLUMN shipping_region text NOT NULL DEFAULT 'eu'"], lockMs: 4200, ticket: "DB-517" }),
    votes: [reject("omar", 18, "locks the orders table at peak traffic", "Schedule it after 22:00 UTC.")],
  },
  {
    ago: 170,
    body: J.paymentPayout({ amount: 18400, currency: "EUR", vendor: "Fabrikam Consulting", invoice: "V-7731", ibanLast4: "4410", ticket: "AP-1290" }),
    votes: [approve("fay", 15, "invoice approved by the budget owner"), reject("finn", 31, "bank details changed last week", "Confirm the new account by phone before paying.")],
  },
  { ago: 150, body: J.dbDrop({ database: "orders_legacy", why: "Remove the old orders database now that the migration is done." }) },
  {
    ago: 140,
    body: J.configUpdate({ service: "checkout-api", key: "http.timeout_ms", from: 3000, to: 5000, why: "The payment provider is slow today; checkouts time out.", ticket: "INC-2291" }),
    // Past the 30-minute SLA: the job escalates first, so the engineering manager may decide.
    votes: [approve("erin", 38, "approved after escalation", "On-call was busy with INC-2291.")],
    run: { after: 40, detail: "Config reloaded on 12 pods." },
  },
  {
    ago: 120,
    body: J.storageDelete({ bucket: "ci-artifacts", prefix: "2023/", objects: 184220, sizeGb: 412, why: "CI artifacts past the 12-month retention period.", ticket: "OPS-2270" }),
    votes: [approve("ada", 11, "retention period is over", "No release references these builds."), approve("omar", 19, "checked: nothing in use")],
  },
  // Under 200 EUR: the small-refund rule lets it through and spends one of the agent's 20 a day.
  { ago: 110, body: J.paymentRefund({ amount: 49, currency: "EUR", customer: "Initech", invoice: "INV-48360", why: "Shipping fee charged on a free-shipping order.", ticket: "SUP-3338" }), run: { after: 1, detail: "Refund re_3PrA issued." } },
  { ago: 100, body: J.logsList({ service: "auth-gateway", since: "1h", query: "level:error" }) },
  // Nobody decides this one: refund-review rejects at its one-hour SLA (the sweeper expires it).
  { ago: 95, body: J.paymentRefund({ amount: 89.9, currency: "USD", customer: "Initech", invoice: "INV-48377", why: "Order cancelled before shipping.", ticket: "SUP-3342" }) },
  {
    ago: 80,
    body: J.configUpdate({ service: "billing-api", key: "ratelimit.per_minute", from: 600, to: 1200, why: "Marketing campaign starts at noon.", ticket: "OPS-2281" }),
    votes: [approve("ada", 6, "traffic forecast supports it")],
  },
  { ago: 60, body: J.slackNotify({ channel: "#deploys", text: "checkout-api 2.14.0 is live in all regions." }) },
  // Pending now, some with a first approval already.
  { ago: 42, body: J.deployRelease({ service: "notifications", version: "3.4.0", from: "3.3.1", ticket: "REL-2050", changelog: ["Batch push notifications"], rollbackPlan: "Redeploy 3.3.1" }) },
  { ago: 30, body: J.ticketUpdate({ ticket: "OPS-2290", status: "in progress", comment: "Deployment of notifications 3.4.0 proposed." }) },
  { ago: 25, body: J.deployRelease({ service: "billing-api", version: "5.2.0", from: "5.1.3", ticket: "REL-2052", changelog: ["VAT rules for Norway"], rollbackPlan: "Redeploy 5.1.3; feature flag vat_no off", onBehalfOf: email("ada") }) },
  {
    ago: 18,
    body: J.paymentPayout({ amount: 3260, currency: "EUR", vendor: "Hetzner Online", invoice: "V-7790", ibanLast4: "0932", ticket: "AP-1302" }),
    votes: [approve("fay", 4, "monthly hosting invoice, amount as contracted")],
  },
  {
    ago: 15,
    body: J.accessGrant({ user: "r.singh@demo.example", role: "prod-shell", system: "k8s-prod", duration: "2h", why: "Paul asked for help debugging the notifications rollout.", ticket: "SEC-902", onBehalfOf: email("paul") }),
    votes: [approve("sam", 3, "short and tied to the rollout")],
  },
  { ago: 12, body: J.configUpdate({ service: "auth-gateway", key: "session.ttl_minutes", from: 60, to: 240, why: "Support asked for longer sessions in the back office.", ticket: "OPS-2294" }) },
  { ago: 9, body: J.dbMigrate({ service: "billing-api", database: "billing", migration: "20240612_invoice_due_idx", statements: ["CREATE INDEX CONCURRENTLY invoice_due_idx ON invoices (due_at)"], lockMs: 0, ticket: "DB-521" }) },
  { ago: 6, body: J.paymentRefund({ amount: 1249.5, currency: "EUR", customer: "Acme GmbH", invoice: "INV-48402", why: "Service credit for Monday's outage, per the SLA.", ticket: "SUP-3351", onBehalfOf: email("paul") }) },
  { ago: 4, body: J.storageDelete({ bucket: "app-logs-archive", prefix: "2023/01/", objects: 52310, sizeGb: 96, why: "Logs past the 12-month retention period.", ticket: "OPS-2296" }) },
  { ago: 3, body: J.repoRead({ repo: "demo/billing-api", path: "CHANGELOG.md", ref: "5f02b7d" }) },
  { ago: 2, body: J.accessGrant({ user: "v.petrova@demo.example", role: "billing-admin", system: "billing-console", duration: "24h", why: "Month-end close.", ticket: "SEC-905" }) },
  { ago: 1, body: J.deployRelease({ service: "auth-gateway", version: "4.0.2", from: "4.0.1", ticket: "REL-2055", changelog: ["Patch for CVE in the JWT library"], rollbackPlan: "Redeploy 4.0.1" }) },
];

interface HistoryEnv {
  database: DbHandle;
  agent: Principal;
  people: Map<Person, UserInfo>;
}

/**
 * Replay the history through the real services in time order (each step with its own `now`), so
 * decisions, votes, escalations, audit events and time-to-decision look as if it had happened.
 */
async function seedHistory(env: HistoryEnv, now: Date): Promise<void> {
  const steps: { at: number; run: (ctx: (p: Principal) => Ctx) => Promise<unknown> }[] = [];
  const jobs = new Map<number, JobItem>();
  const job = (i: number) => jobs.get(i)!;

  HISTORY.forEach((h, i) => {
    const t0 = now.getTime() - h.ago * MIN;
    steps.push({
      at: t0,
      run: async (ctx) => {
        const input = SubmitJobBody.parse(h.body);
        jobs.set(i, (await submitJob({ ctx: ctx(env.agent), input, idempotencyKey: `demo-seed-${i}` })).item);
      },
    });
    for (const v of h.votes ?? []) {
      const voter = voterPrincipal(env.people.get(v.by)!, env.agent.tenantId);
      steps.push({
        at: t0 + v.after * MIN,
        run: (ctx) => resolveVote({ ctx: ctx(voter), id: job(i).job.id, vote: v.vote, input: { reason: v.reason, note: v.note, job_hash: job(i).job_hash } }),
      });
    }
    if (h.run) {
      const { after, detail } = h.run;
      steps.push({ at: t0 + after * MIN, run: (ctx) => claimJob({ ctx: ctx(env.agent), id: job(i).job.id, input: { job_hash: job(i).job_hash } }) });
      steps.push({ at: t0 + (after + 2) * MIN, run: (ctx) => completeJob({ ctx: ctx(env.agent), id: job(i).job.id, input: { outcome: "succeeded", detail } }) });
    }
  });

  // Stable sort: steps at the same minute keep their written order.
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    const at = new Date(Math.min(step.at, now.getTime()));
    await step.run((principal) => contextOf(env.database, principal, at));
  }
}

function voterPrincipal(u: UserInfo, tenantId: string): Principal {
  return { kind: "user", tenantId, userId: u.id, email: u.email, roles: u.roles, scopes: scopesForRoles(u.roles), tokenId: null };
}
