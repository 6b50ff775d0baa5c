/**
 * A small typed client for agents: submit a proposed action, wait for people to decide, claim the
 * execution grant, report the outcome. Plus signature verification for callbacks.
 *
 *   const cs = new Countersign({ baseUrl: "http://localhost:8081", token: process.env.COUNTERSIGN_TOKEN! });
 *   const job = await cs.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload });
 *   const decided = await cs.waitForDecision(job.job.id);
 *   if (decided.job.state === "APPROVED") { const grant = await cs.claim(decided); ...; await cs.complete(id, "succeeded"); }
 */
import type { JobItem, SubmitJobBody } from "../lib/services/jobs/schemas";

export { verifySignature } from "../lib/services/outbox/signature";
export type { JobItem, SubmitJobBody };

export interface ExecutionGrant {
  job_id: string;
  job_hash: string;
  policy_snapshot: string;
  constraints: { max_runtime_sec?: number; network_allowlist?: string[] } | null;
}

/** A refusal from the API, with its stable problem code (e.g. `stale_request`, `already_claimed`). */
export class CountersignError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(`${status} ${code}: ${detail}`);
    this.name = "CountersignError";
  }
}

export interface ClientOptions {
  baseUrl: string;
  /** An agent token (`cs_…`) with jobs:submit, jobs:read and jobs:execute. */
  token: string;
  fetch?: typeof fetch;
}

/** States in which a job is still waiting for people. */
const PENDING = new Set(["APPROVAL"]);

export class Countersign {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: ClientOptions) {
    this.base = `${opts.baseUrl.replace(/\/$/, "")}/api/v1`;
    this.fetchFn = opts.fetch ?? fetch;
  }

  private async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
    const res = await this.fetchFn(`${this.base}${path}`, {
      method,
      signal,
      headers: { authorization: `Bearer ${this.opts.token}`, accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const data = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const p = (data ?? {}) as { code?: string; detail?: string; errors?: CountersignError["errors"] };
      throw new CountersignError(res.status, p.code ?? `http_${res.status}`, p.detail ?? res.statusText, p.errors);
    }
    return data as T;
  }

  /** Propose an action. The answer says at once whether it may run, must wait for people, or is denied. */
  submit(job: SubmitJobBody, opts: { idempotencyKey?: string } = {}): Promise<JobItem> {
    return this.request("POST", "/jobs", job, opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {});
  }

  /** The job now, or (with waitSec ≤ 55) as soon as it leaves APPROVAL within that time. */
  get(id: string, opts: { waitSec?: number; signal?: AbortSignal } = {}): Promise<JobItem> {
    const q = opts.waitSec ? `?wait=${Math.min(55, Math.max(0, Math.floor(opts.waitSec)))}` : "";
    return this.request("GET", `/jobs/${encodeURIComponent(id)}${q}`, undefined, {}, opts.signal);
  }

  /**
   * Wait until people decide (or the job expires), holding one long request at a time: the server
   * answers the moment the state changes, so there is no polling delay.
   */
  async waitForDecision(id: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<JobItem> {
    const deadline = Date.now() + (opts.timeoutMs ?? 24 * 60 * 60 * 1000);
    for (;;) {
      const left = deadline - Date.now();
      const job = await this.get(id, { waitSec: Math.max(1, Math.min(55, Math.ceil(left / 1000))), signal: opts.signal });
      if (!PENDING.has(job.job.state) || Date.now() >= deadline) return job;
    }
  }

  /** Claim the execution grant of an approved job, once. Pass the job you decided to run, exactly. */
  claim(job: Pick<JobItem, "job" | "job_hash" | "policy_snapshot">): Promise<ExecutionGrant> {
    return this.request("POST", `/jobs/${encodeURIComponent(job.job.id)}/claim`, { job_hash: job.job_hash, policy_snapshot: job.policy_snapshot });
  }

  /** Report how the run ended. */
  complete(id: string, outcome: "succeeded" | "failed", detail?: string): Promise<JobItem> {
    return this.request("POST", `/jobs/${encodeURIComponent(id)}/complete`, detail === undefined ? { outcome } : { outcome, detail });
  }

  /** Withdraw a job still waiting for approval. */
  cancel(id: string, reason?: string): Promise<JobItem> {
    return this.request("POST", `/jobs/${encodeURIComponent(id)}/cancel`, reason === undefined ? {} : { reason });
  }
}
