// Fast seeding with SQL generate_series: pending and resolved jobs (and reject votes) for one tenant.
//
// The INSERTs are built from column → expression maps checked against information_schema at run time:
// a column the seeder fills that the table no longer has, or a NOT NULL column without a default that
// the seeder does not fill, stops the run with a message naming it (the schema may move under us).
// For a bulk load the secondary indexes of `jobs` and `votes` are dropped and recreated from their own
// definitions (pg_indexes.indexdef) afterwards; the end state is the schema's own. Called again with
// the next job numbers, it grows the data set in place (the benchmark's growth ladder).

const REJECT_REASONS = [
  "Change window is closed",
  "Missing rollback plan",
  "Blast radius too large",
  "Needs a second reviewer from the owning team",
  "Ticket reference missing",
  "Wrong environment",
  "Duplicate of an earlier request",
  "Payload does not match the description",
];

// Rule profiles for resolved jobs: topic, tags, rule, and its requirement (as the policy would say).
const PROFILES = [
  { topic: "job.deploy.api", tags: ["prod", "write"], rule: "prod-write-gate", reason: "Production writes require human approval", roles: ["service-owner", "oncall"], count: 1, escalate: ["eng-manager"] },
  { topic: "job.config.update", tags: ["prod", "write"], rule: "prod-write-gate", reason: "Production writes require human approval", roles: ["service-owner", "oncall"], count: 1, escalate: ["eng-manager"] },
  { topic: "job.payments.refund", tags: ["payment"], rule: "payment-gate", reason: "Financial operations require dual approval", roles: ["finance"], count: 2, escalate: [] },
  { topic: "job.svc2.deploy", tags: ["write"], rule: "gen-0002-require-approval", reason: "Changes to svc2 need a reviewer", roles: ["service-owner", "oncall"], count: 2, escalate: ["eng-manager"] },
  { topic: "job.svc6.deploy", tags: ["write"], rule: "gen-0006-require-approval", reason: "Changes to svc6 need a reviewer", roles: ["reviewer", "oncall"], count: 1, escalate: ["eng-manager"] },
  { topic: "job.users.grant", tags: ["access"], rule: "access-grant-gate", reason: "Access grants require dual approval", roles: ["security"], count: 2, escalate: [] },
  { topic: "job.unknown.thing", tags: [], rule: "default", reason: "No rule matched; the default requires approval", roles: ["reviewer"], count: 1, escalate: [] },
];

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const textArray = (a) => `${q(`{${a.map((x) => `"${x}"`).join(",")}}`)}::text[]`;

function profilesCte() {
  const rows = PROFILES.map((p, k) => {
    const req = JSON.stringify([{ rule_id: p.rule, roles: p.roles, count: p.count, escalate_to: p.escalate }]);
    const matched = JSON.stringify([{ id: p.rule, decision: "require_approval", reason: p.reason }]);
    return `(${k}, ${q(p.topic)}, ${textArray(p.tags)}, ${q(p.rule)}, ${q(p.reason)}, ${q(req)}::jsonb, ${q(matched)}::jsonb, ${textArray(p.roles)}, ${textArray(p.escalate)})`;
  });
  return `profiles(k, topic, tags, rule_id, reason, requirements, matched, roles, escalate) as (values ${rows.join(",\n  ")})`;
}

async function columnsOf(sql, table) {
  const rows = await sql`
    select column_name, is_nullable, column_default, is_identity, is_generated
    from information_schema.columns where table_schema = current_schema() and table_name = ${table}`;
  if (rows.length === 0) throw new Error(`[bench seed] table "${table}" does not exist (schema changed?)`);
  return rows;
}

/** Fails loudly when the map and the live table disagree; returns the column list to insert. */
async function checkedColumns(sql, table, map) {
  const cols = await columnsOf(sql, table);
  const names = new Set(cols.map((c) => c.column_name));
  const unknown = Object.keys(map).filter((c) => !names.has(c));
  if (unknown.length) {
    throw new Error(
      `[bench seed] ${table}: the seeder fills column(s) ${unknown.join(", ")} that the table does not have ` +
        `(renamed or dropped?). Update the column map in bench/seed.mjs to match lib/db/schema.ts.`,
    );
  }
  const missing = cols.filter(
    (c) => c.is_nullable === "NO" && c.column_default === null && c.is_identity !== "YES" && c.is_generated !== "ALWAYS" && !(c.column_name in map),
  );
  if (missing.length) {
    throw new Error(
      `[bench seed] ${table}: NOT NULL column(s) without a default that the seeder does not fill: ` +
        `${missing.map((c) => c.column_name).join(", ")}. Add them to the column map in bench/seed.mjs.`,
    );
  }
  // jobs.view is written by a trigger (drizzle/0009), never by an INSERT.
  const unfilled = cols
    .filter((c) => !(c.column_name in map) && c.is_nullable === "YES" && c.column_default === null && !(table === "jobs" && c.column_name === "view"))
    .map((c) => c.column_name);
  return { columns: Object.keys(map), unfilled };
}

function insertSql(table, columns, map, from) {
  return `insert into ${table} (${columns.map((c) => `"${c}"`).join(", ")})\nselect ${columns.map((c) => map[c]).join(",\n  ")}\n${from}`;
}

function pendingMap(snapshot) {
  return {
    id: `'job-P' || lpad(g::text, 10, '0')`,
    tenant_id: `$1`,
    state: `'APPROVAL'`,
    topic: `p.topic`,
    risk_tags: `p.tags`,
    payload: `jsonb_build_object('service', 'svc' || (g % 50), 'n', g, 'replicas', 1 + g % 5)`,
    title: `'Seeded change #' || g`,
    description: `null`,
    labels: `jsonb_build_object('source', 'bench')`,
    callback_url: `null`,
    on_behalf_of: `null`,
    requested_by: `'agent:seed-bot'`,
    submitter_email: `'seed-owner@bench.example'`,
    token_id: `null`,
    principal_key: `'tok:seed'`,
    job_hash: `md5('p' || g) || md5('P' || g)`,
    policy_snapshot: q(snapshot),
    decision: `'require_approval'`,
    gated: `true`,
    policy_rule_id: `p.rule_id`,
    policy_reason: `p.reason`,
    matched_rules: `p.matched`,
    requirements: `p.requirements`,
    eligible_roles: `p.roles`,
    constraints: `null`,
    summary: `jsonb_build_object('title', 'Review production change: ' || p.topic, 'why', p.reason, 'next_effect', 'Approve to continue deployment workflow')`,
    // Due from two hours ahead, spread over a day; nothing escalates or expires during the run.
    due_at: `now() + interval '2 hours' + (g % 86400) * interval '1 second'`,
    expires_at: `now() + interval '9 days' + (g % 86400) * interval '1 second'`,
    on_timeout: `'escalate'`,
    escalate_to: `p.escalate`,
    escalated: `false`,
    resolution: `null`,
    resolved_by: `null`,
    resolved_reason: `null`,
    resolved_at: `null`,
    approved_snapshot: `null`,
    claimed_at: `null`,
    claimed_by: `null`,
    completed_at: `null`,
    outcome_detail: `null`,
    idempotency_key: `null`,
    request_hash: `md5('pr' || g) || md5('PR' || g)`,
    created_at: `now() - (g % 3600) * interval '1 second'`,
    updated_at: `now() - (g % 3600) * interval '1 second'`,
  };
}

// Resolved jobs: 70% approved, 20% rejected, 10% expired (g % 10), resolved over the last 29.5 days.
const RESOLVED_AT = `(now() - ((g * 7919) % 2548800) * interval '1 second' - interval '5 minutes')`;
const WAIT = `(((g * 104729) % 14000) + 20) * interval '1 second'`;
const CREATED_AT = `(case when g % 10 = 9 then ${RESOLVED_AT} - interval '4 hours' else ${RESOLVED_AT} - ${WAIT} end)`;
const RESOLUTION = `(case when g % 10 < 7 then 'approved' when g % 10 < 9 then 'rejected' else 'expired' end)`;

function resolvedMap(snapshot) {
  return {
    ...pendingMap(snapshot),
    id: `'job-R' || lpad(g::text, 10, '0')`,
    state: `(case when g % 10 < 7 then 'APPROVED' when g % 10 < 9 then 'REJECTED' else 'EXPIRED' end)`,
    job_hash: `md5('r' || g) || md5('R' || g)`,
    request_hash: `md5('rr' || g) || md5('RR' || g)`,
    summary: `jsonb_build_object('title', 'Review ' || p.topic, 'why', p.reason, 'next_effect', 'Approve to let the agent run ' || p.topic)`,
    due_at: `${CREATED_AT} + interval '30 minutes'`,
    expires_at: `${CREATED_AT} + interval '4 hours'`,
    resolution: RESOLUTION,
    resolved_by: `(case when g % 10 < 9 then 'reviewer' || (g % 20) || '@bench.example' end)`,
    // The deciding vote's reason; for rejections the same text as the reject vote seeded below.
    resolved_reason: `(case when g % 10 < 7 then 'looks good' when g % 10 < 9 then (${textArray(REJECT_REASONS)})[1 + (hashtext('job-R' || lpad(g::text, 10, '0')) & 2147483647) % ${REJECT_REASONS.length}] end)`,
    resolved_at: RESOLVED_AT,
    approved_snapshot: `(case when g % 10 < 7 then ${q(snapshot)} end)`,
    created_at: CREATED_AT,
    updated_at: RESOLVED_AT,
    // The job's copy of its votes (drizzle/0009): the reject vote seeded below, as voteMap writes it.
    tally: `(case when g % 10 in (7, 8) then jsonb_build_array(jsonb_build_object('userId', 'usr-bench-' || (hashtext('job-R' || lpad(g::text, 10, '0')) & 15), 'vote', 'reject', 'roles', to_jsonb(${VOTE_ROLES}))) else '[]'::jsonb end)`,
  };
}

const VOTE_ROLES = `'{service-owner,oncall,finance,security,reviewer}'::text[]`;

function voteMap() {
  return {
    tenant_id: `j.tenant_id`,
    job_id: `j.id`,
    user_id: `'usr-bench-' || (hashtext(j.id) & 15)`,
    user_email: `j.resolved_by`,
    vote: `'reject'`,
    roles: VOTE_ROLES,
    reason: `(${textArray(REJECT_REASONS)})[1 + (hashtext(j.id) & 2147483647) % ${REJECT_REASONS.length}]`,
    note: `null`,
    created_at: `j.resolved_at`,
  };
}

async function dropSecondaryIndexes(sql, table) {
  const rows = await sql`
    select i.indexname, i.indexdef from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = ${table}
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
  for (const r of rows) await sql.unsafe(`drop index "${r.indexname}"`);
  return rows.map((r) => r.indexdef);
}

/** Rows the planner thinks a table holds (cheap, and exact enough to choose how to load). */
async function estimatedRows(sql, table) {
  const [r] = await sql`select greatest(reltuples, 0)::bigint as n from pg_class where oid = to_regclass(${table})`;
  return Number(r?.n ?? 0);
}

/** [lo, hi] cut in two: one half per core. */
function halves([lo, hi]) {
  const mid = lo + Math.floor((hi - lo + 1) / 2) - 1;
  return mid >= lo ? [[lo, mid], [mid + 1, hi]] : [[lo, hi]];
}

/**
 * Seed APPROVAL jobs numbered `pending` = [from, to] and APPROVED/REJECTED/EXPIRED ones numbered
 * `resolved` = [from, to] (with a reject vote and reason per rejected job) into `tenant`; either may be
 * null. Called again with the next numbers it grows the data set (the growth ladder). A load at least
 * half the table's size drops the secondary indexes and rebuilds them after, which is several times
 * faster than maintaining them row by row; a smaller one keeps them. `connect()` returns a new client.
 */
export async function seed({ connect, tenant, pending = null, resolved = null, log = () => {} }) {
  const main = connect();
  const timings = {};
  try {
    const [t] = await main`select active_snapshot_id from tenants where id = ${tenant}`;
    if (!t?.active_snapshot_id) throw new Error(`[bench seed] tenant ${tenant} has no active policy snapshot`);
    const snapshot = t.active_snapshot_id;

    const pMap = pendingMap(snapshot);
    const rMap = resolvedMap(snapshot);
    const vMap = voteMap();
    const jobCols = await checkedColumns(main, "jobs", pMap);
    await checkedColumns(main, "jobs", rMap);
    const voteCols = await checkedColumns(main, "votes", vMap);
    if (jobCols.unfilled.length) log(`note: jobs columns left NULL by the seeder: ${jobCols.unfilled.join(", ")}`);

    const size = (r) => (r ? r[1] - r[0] + 1 : 0);
    const rebuild = size(pending) + size(resolved) >= (await estimatedRows(main, "jobs")) / 2;
    let t0 = Date.now();
    const jobIndexes = rebuild ? await dropSecondaryIndexes(main, "jobs") : [];
    const voteIndexes = rebuild ? await dropSecondaryIndexes(main, "votes") : [];

    // Two connections (two cores), each inserting half of every range.
    const withProfiles = `with ${profilesCte()}\n`;
    const pendingFrom = ([lo, hi]) =>
      `from generate_series(${lo}::bigint, ${hi}::bigint) g join profiles p on p.k = (case when g % 7 < 6 then g % 2 else 4 end)`;
    const resolvedFrom = ([lo, hi]) => `from generate_series(${lo}::bigint, ${hi}::bigint) g join profiles p on p.k = g % ${PROFILES.length}`;
    const chunks = [[], []];
    if (pending) halves(pending).forEach((h, k) => chunks[k].push(withProfiles + insertSql("jobs", jobCols.columns, pMap, pendingFrom(h))));
    if (resolved) halves(resolved).forEach((h, k) => chunks[k].push(withProfiles + insertSql("jobs", jobCols.columns, rMap, resolvedFrom(h))));
    await Promise.all(
      chunks.map(async (stmts) => {
        const c = connect();
        try {
          await c.unsafe(`set synchronous_commit = off`);
          for (const s of stmts) await c.unsafe(s, [tenant]);
        } finally {
          await c.end();
        }
      }),
    );
    timings.jobs_insert_s = (Date.now() - t0) / 1000;

    t0 = Date.now();
    if (resolved) {
      const id = (g) => `'job-R${String(g).padStart(10, "0")}'`;
      const rejected = `from jobs j where j.tenant_id = $1 and j.resolution = 'rejected' and j.id between ${id(resolved[0])} and ${id(resolved[1])}`;
      await main.unsafe(insertSql("votes", voteCols.columns, vMap, rejected), [tenant]);
      // Closed days are summed once into metric_days (lib/services/metrics/decisions.ts); history
      // back-dated into them after that is not counted, so the sums go and are made again.
      const [{ exists }] = await main`select to_regclass('metric_days') is not null as exists`;
      if (exists) await main`delete from metric_days where tenant_id = ${tenant}`;
    }
    timings.votes_insert_s = (Date.now() - t0) / 1000;

    // Recreate the indexes, two at a time (one per core; each may use parallel workers too).
    t0 = Date.now();
    const defs = [...jobIndexes, ...voteIndexes];
    const conns = [connect(), connect()];
    await Promise.all(
      conns.map(async (c, k) => {
        await c.unsafe(`set maintenance_work_mem = '256MB'`);
        for (let i = k; i < defs.length; i += conns.length) await c.unsafe(defs[i]);
        await c.end();
      }),
    );
    timings.indexes_s = (Date.now() - t0) / 1000;

    t0 = Date.now();
    // A month of history in production has been vacuumed by autovacuum (visibility map set, so index-only
    // scans work); a freshly bulk-loaded table has not. Vacuum it so the run measures the steady state.
    await main.unsafe(`vacuum (analyze) jobs`);
    await main.unsafe(`vacuum (analyze) votes`);
    timings.analyze_s = (Date.now() - t0) / 1000;

    // The bulk load leaves gigabytes of dirty pages behind; a checkpoint triggered by it would spread
    // their writing over the next minutes (checkpoint_completion_target), that is over the measured
    // runs. Write them now, so the runs start from the steady state.
    t0 = Date.now();
    await main.unsafe(`checkpoint`).catch((err) => log(`note: CHECKPOINT refused (${err.message}); dirty pages are written during the runs`));
    timings.checkpoint_s = (Date.now() - t0) / 1000;

    const [counts] = await main`
      select count(*) filter (where state = 'APPROVAL')::int as pending,
             count(*) filter (where resolution is not null)::int as resolved,
             (select count(*)::int from votes where tenant_id = ${tenant}) as votes
      from jobs where tenant_id = ${tenant}`;
    return { ...counts, timings, snapshot, indexes: defs.length, rebuilt: rebuild };
  } finally {
    await main.end();
  }
}
