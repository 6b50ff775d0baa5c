// One gated call, for the gateway and the hook alike (DESIGN §7.1): the SDK's `authorize` submits with
// `claim: true` (or resumes the agent's earlier job for the same call), holds while people decide and
// claims once approved. This maps its outcome to what the caller tells the model, and keeps the memory
// that lets an allowed call skip the lookup.
import { CountersignError, PendingError, type Countersign, type ExecutionGrant, type JobInput, type JobItem } from "@countersign/sdk";

export type Verdict =
  | { kind: "run"; item: JobItem; grant: ExecutionGrant }
  | { kind: "refused"; item: JobItem }
  | { kind: "pending"; item: JobItem }
  | { kind: "error"; error: unknown };

/** A refusal this recent is answered again instead of asking people a second time (the SDK's window too). */
export const REFUSAL_MEMORY_MS = 10 * 60_000;
const REFUSED = new Set(["DENIED", "REJECTED", "EXPIRED", "CANCELLED"]);

/** What the gate remembers of earlier answers (memory.ts); without it, every call looks its job up first. */
export interface Recall {
  mayHave(topic: string, hash: string): boolean;
  remember(topic: string, hash: string, jobId: string): void;
  forget(topic: string, hash: string): void;
}

export interface DecideOptions {
  holdMs: number;
  memory?: Recall;
  signal?: AbortSignal;
  /** Called once, when the call starts waiting for people, with the job it waits on. */
  onHold?: (item: JobItem) => void;
}

export type GateClient = Pick<Countersign, "authorize" | "jobHash">;

export async function decide(cs: GateClient, body: JobInput, opts: DecideOptions): Promise<Verdict> {
  let hash: string | undefined;
  try {
    hash = await cs.jobHash(body);
    // An allowed call costs one round trip: only a call answered "not now" before looks its job up.
    const resume = !opts.memory || opts.memory.mayHave(body.topic, hash);
    let holding = false;
    const { item, grant } = await cs.authorize(body, {
      resume,
      timeoutMs: opts.holdMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onPoll: (seen) => {
        if (!holding) opts.onHold?.(seen);
        holding = true;
      },
    });
    // Run only exactly this call: the grant must be bound to the hash of these arguments.
    if (grant.job_hash !== hash || grant.job_id !== item.job.id) {
      throw new Error(`the grant for job ${grant.job_id} (hash ${grant.job_hash}) does not match this call (hash ${hash})`);
    }
    // Only a call remembered before has a record to drop: an allowed call touches no file here.
    if (resume) opts.memory?.forget(body.topic, hash);
    return { kind: "run", item, grant };
  } catch (error) {
    const item = error instanceof CountersignError ? error.job : undefined;
    if (item && hash && (error instanceof PendingError || REFUSED.has(item.job.state))) {
      // Remembered, so the same call again looks this job up (resumes it, or answers the refusal again).
      opts.memory?.remember(body.topic, hash, item.job.id);
      return error instanceof PendingError ? { kind: "pending", item } : { kind: "refused", item };
    }
    return { kind: "error", error };
  }
}
