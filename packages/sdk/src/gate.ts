import type { Countersign } from "./client.js";
import { CountersignError, isTransient, PendingError, refusalOf } from "./errors.js";
import type { ExecutionGrant, JobInput, JobItem } from "./types.js";

export interface AuthorizeOptions {
  /** How long to wait for people before PendingError (default 24 h: as long as a job can stay pending). */
  timeoutMs?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Called with the job each time it is seen pending (first the submission's answer), and after each wait. */
  onPoll?: (item: JobItem) => void;
  /**
   * Continue the caller's latest job with the same topic and job hash instead of submitting another: one
   * still pending is waited on, one approved and unclaimed is claimed, one refused in the last 10 minutes
   * answers that refusal again. Lets a caller that got PendingError simply try again. Needs jobs:read.
   */
  resume?: boolean;
}

export type GateOptions = AuthorizeOptions;

export interface Authorized {
  item: JobItem;
  grant: ExecutionGrant;
}

const RECENT_REFUSAL_MS = 10 * 60 * 1000;
const REFUSED = new Set(["DENIED", "REJECTED", "EXPIRED", "CANCELLED"]);
// `detail` refuses C0/C1 controls other than tab and newline and unpaired surrogates; at most 4000 characters.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const detailOf = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).replace(CONTROLS, " ").slice(0, 4000).replace(LONE_SURROGATE, "\ufffd") || "failed";

/** The caller's latest job for exactly this job, if it is one to continue rather than submit again. */
async function resumable(client: Countersign, job: JobInput, signal?: AbortSignal): Promise<JobItem | undefined> {
  const [latest] = await client.findJobs({ topic: job.topic, job_hash: await client.jobHash(job), limit: 1, ...(signal ? { signal } : {}) });
  if (!latest) return undefined;
  const state = latest.job.state;
  if (state === "APPROVAL" || state === "APPROVED") return latest;
  const endedAt = Date.parse(latest.resolved_at ?? latest.job.updated_at);
  if (REFUSED.has(state) && Date.now() - endedAt < RECENT_REFUSAL_MS) return latest;
  return undefined;
}

export async function authorize(client: Countersign, job: JobInput, options: AuthorizeOptions = {}): Promise<Authorized> {
  const { signal } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 24 * 60 * 60 * 1000);
  let item: JobItem | undefined = options.resume ? await resumable(client, job, signal) : undefined;
  if (!item) {
    const submitted = await client.submit(job, { claim: true, ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}), ...(signal ? { signal } : {}) });
    if (submitted.grant) return { item: submitted, grant: submitted.grant };
    item = submitted;
  }
  // A claim refused with stale_snapshot means a new policy re-decided the job: it is pending again or
  // denied now, so look again (a few rounds at most: each needs another policy change to happen).
  for (let round = 0; round < 3; round++) {
    if (item.job.state === "APPROVAL") {
      options.onPoll?.(item);
      item = await client.waitForDecision(item.job.id, { timeoutMs: Math.max(0, deadline - Date.now()), ...(signal ? { signal } : {}), ...(options.onPoll ? { onPoll: options.onPoll } : {}) });
    }
    if (item.job.state === "APPROVAL") throw new PendingError(item, client.consoleUrl(item.job.id));
    const refusal = refusalOf(item);
    if (refusal) throw refusal;
    if (item.job.state !== "APPROVED") {
      throw new CountersignError({ status: 409, code: "already_claimed", detail: `The job was already claimed (state ${item.job.state}).`, job: item });
    }
    try {
      return { item, grant: await client.claim(item, signal ? { signal } : {}) };
    } catch (err) {
      if (!(err instanceof CountersignError) || err.code !== "stale_snapshot") throw err;
      item = await client.get(item.job.id, signal ? { signal } : {});
    }
  }
  throw new CountersignError({ status: 409, code: "stale_snapshot", detail: "The policy kept changing under this job; try again.", job: item });
}

/** Report the outcome, asking again through brief outages: the job must not stay RUNNING for nothing. */
async function report(client: Countersign, id: string, outcome: "succeeded" | "failed", detail?: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.complete(id, outcome, detail);
      return;
    } catch (err) {
      if (!isTransient(err) || attempt >= 4) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

export async function gate<T>(
  client: Countersign,
  job: JobInput,
  fn: (grant: ExecutionGrant, item: JobItem) => T | Promise<T>,
  options: GateOptions = {},
): Promise<T> {
  const { item, grant } = await authorize(client, job, options);
  let result: T;
  try {
    result = await fn(grant, item);
  } catch (err) {
    await report(client, grant.job_id, "failed", detailOf(err)).catch(() => {
      // The run's own error is the one the caller needs; the job stays RUNNING if this never got through.
    });
    throw err;
  }
  await report(client, grant.job_id, "succeeded");
  return result;
}
