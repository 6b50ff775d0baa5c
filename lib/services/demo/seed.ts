import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db, DbHandle } from "@/lib/db/client";
import { tokens, users } from "@/lib/db/schema";
import { resolveVote } from "@/lib/services/approvals/resolve";
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
import { HISTORY, type Person } from "./history";
import { seedMonth } from "./month";
import type { Voter } from "./month-plan";

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
 * Fill a demo tenant: people for every role, an agent token, a month of decided work and a few hours of step-by-step history.
 * Safe to run at every start: an existing tenant only gets missing people or a missing agent token,
 * never a second history.
 */
export async function seedDemo(database: DbHandle, now: Date, opts: { tenant?: string } = {}): Promise<DemoSeed> {
  const tenant = opts.tenant ?? DEMO_TENANT;
  const { db } = database;
  // A new tenant starts 31 days back, so people and token predate its month of history.
  const createdAt = new Date(now.getTime() - 31 * 24 * 60 * MIN);
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
  if (created && token) {
    // A month of decided work in bulk, then the last few hours step by step through the services.
    await seedMonth(database, { agent: agentPrincipal(token), voters: voters(people), until: new Date(now.getTime() - 6 * 60 * MIN) });
    await seedHistory({ database, agent: agentPrincipal(token), people }, now);
  }

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

/** Median minutes each reviewer takes: Finn is the slow approver a manager should spot. */
const MINUTES: Partial<Record<Person, number>> = { ada: 8, omar: 12, fay: 6, finn: 35, sam: 15, sara: 25, erin: 20 };

function voters(people: Map<Person, UserInfo>): Voter[] {
  return [...people].flatMap(([who, u]) => (MINUTES[who] ? [{ id: u.id, email: u.email, roles: u.roles, minutes: MINUTES[who] }] : []));
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
