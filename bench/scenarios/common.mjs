// What several scenarios share: the submitted bodies, the supply of approvable jobs, and waiting for a
// quiet server between runs.
import postgres from "postgres";
import { note } from "../report.mjs";
import { fmt, onCleanup, sleep } from "../util.mjs";

/** Submission n of the cycled templates: each payload differs. */
export function jobBody(templates, n) {
  const t = templates[((n % templates.length) + templates.length) % templates.length];
  return JSON.stringify({
    topic: t.topic,
    risk_tags: t.risk_tags,
    payload: { service: `svc${Math.abs(n) % 97}`, n, replicas: 1 + (Math.abs(n) % 5), image: `registry.local/app:${Math.abs(n) % 1000}` },
    title: `Bench job ${n}`,
    labels: { team: `team-${Math.abs(n) % 7}` },
  });
}

/** autocannon's per-request hook cycling through the templates. */
export function submitSetup(templates) {
  let n = 0;
  return (req) => ({ ...req, body: jobBody(templates, n++) });
}

export const auth = (token) => ({ authorization: `Bearer ${token}` });

/**
 * Distinct pending jobs the first reviewer can approve alone (single-approver rules he holds a role
 * for), oldest first; every call reads what is still pending, so runs never reuse an approved job.
 */
export async function approvable(dbUrl, limit) {
  const c = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await c`
      select id from jobs
      where tenant_id = 'bench' and state = 'APPROVAL' and id like 'job-P%'
        and policy_rule_id in ('prod-write-gate', 'gen-0006-require-approval')
      order by created_at, id limit ${limit}`;
    return rows.map((r) => r.id);
  } finally {
    await c.end();
  }
}

/**
 * Waits until every audit event is sealed (the sealer has caught up with the last run), then half a
 * second more: each run starts from a quiet server.
 */
export function settler(dbUrl) {
  const quiet = postgres(dbUrl, { max: 1, onnotice: () => {} });
  onCleanup(() => quiet.end());
  return async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ n }] = await quiet`select count(*)::int as n from audit_events where hash is null`;
      if (n === 0) break;
      if (Date.now() > deadline) {
        note(`The server did not settle: ${fmt(n)} audit events were still unsealed after 60 s; the next run started anyway.`);
        break;
      }
      await sleep(250);
    }
    await sleep(500);
  };
}

/** Pending jobs now (the growth ladder's counts drift as runs submit and approve). */
export async function pendingCount(dbUrl) {
  const c = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = await c`select count(*)::int as n from jobs where tenant_id = 'bench' and state = 'APPROVAL'`;
    return n;
  } finally {
    await c.end();
  }
}
