import { CountersignError, isTransient, type FieldError } from "./errors.js";
import { authorize, gate, type AuthorizeOptions, type GateOptions, type Authorized } from "./gate.js";
import { jobHash } from "./jcs.js";
import type { AuditVerification, ExecutionGrant, JobInput, JobItem, Outcome, SubmitResult } from "./types.js";

export interface CountersignOptions {
  /** Where Countersign runs, e.g. `http://localhost:8081` (the API is under /api/v1). */
  baseUrl: string;
  /** An API token (`cs_…`); an agent needs jobs:submit, jobs:read and jobs:execute. */
  token: string;
  /** A fetch to use instead of the global one (the client reads only what `Fetch` names). */
  fetch?: Fetch;
}

/**
 * What the client needs of a fetch: the global one fits, and so does a lighter transport that answers
 * with the status and the body's text only (the CLI's keep-alive node:http one).
 */
export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; statusText: string; text(): Promise<string> }>;

export interface SubmitOptions {
  /** Same key and same job: the first job again (200), never a second one. */
  idempotencyKey?: string;
  /** Claim a job the policy allows in the same request: the answer then carries `grant` (needs jobs:execute). */
  claim?: boolean;
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** Give up after this long and return the job as it is (still pending); default 24 h. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with the job after every answer while waiting. */
  onPoll?: (item: JobItem) => void;
}

export interface FindJobsQuery {
  topic?: string;
  job_hash?: string;
  /** At most 50 (default 20). */
  limit?: number;
  signal?: AbortSignal;
}

export interface VerifyAuditInput {
  /** The checkpoint log's text (JSON Lines, as the server writes COUNTERSIGN_CHECKPOINT_FILE); at most ~250 KB a request. */
  checkpoints: string;
  /** The Ed25519 key that signed it, PEM or base64 DER; default: the server's own. */
  public_key?: string;
  /** The installation admin token checks every tenant unless one is named. */
  tenant?: string;
  signal?: AbortSignal;
}

/** A job to claim: as the API returned it, or just its id and hash (plus the snapshot it was approved under). */
export type ClaimTarget = Pick<JobItem, "job" | "job_hash" | "policy_snapshot"> | { job_id: string; job_hash: string; policy_snapshot?: string };

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_WAIT_SEC = 55;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });

/**
 * A client of Countersign's API for agents: propose an action, wait for people, claim the grant, report
 * the outcome; or all of it in `gate(job, fn)`.
 */
export class Countersign {
  readonly baseUrl: string;
  readonly #api: string;
  readonly #token: string;
  readonly #fetch: Fetch;

  constructor(options: CountersignOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#api = `${this.baseUrl}/api/v1`;
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async #request<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, accept: "application/json", ...init.headers };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    let res: Awaited<ReturnType<Fetch>>;
    try {
      res = await this.#fetch(`${this.#api}${path}`, {
        method,
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      throw new CountersignError({ status: 0, code: "unreachable", detail: `Countersign at ${this.baseUrl} could not be reached: ${err instanceof Error ? err.message : String(err)}`, cause: err });
    }
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page, say): the status speaks for it.
    }
    if (!res.ok) {
      const p = (data && typeof data === "object" ? data : {}) as { code?: string; detail?: string; errors?: FieldError[] };
      throw new CountersignError({
        status: res.status,
        code: p.code ?? `http_${res.status}`,
        detail: p.detail ?? (res.statusText || `HTTP ${res.status}`),
        ...(p.errors ? { errors: p.errors } : {}),
      });
    }
    return data as T;
  }

  /** Where a person reviews the job in the console. */
  consoleUrl(id: string): string {
    return `${this.baseUrl}/jobs/${encodeURIComponent(id)}`;
  }

  /** Propose an action. The answer says at once whether it may run, waits for people, or is denied. */
  submit(job: JobInput, options: SubmitOptions = {}): Promise<SubmitResult> {
    return this.#request("POST", "/jobs", {
      body: options.claim ? { ...job, claim: true } : job,
      ...(options.idempotencyKey ? { headers: { "idempotency-key": options.idempotencyKey } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** The job now; with `waitSec` (≤ 55), as soon as it leaves APPROVAL within that time. */
  get(id: string, options: { waitSec?: number; signal?: AbortSignal } = {}): Promise<JobItem> {
    const wait = options.waitSec ? Math.min(MAX_WAIT_SEC, Math.max(0, Math.floor(options.waitSec))) : 0;
    return this.#request("GET", `/jobs/${encodeURIComponent(id)}${wait ? `?wait=${wait}` : ""}`, options.signal ? { signal: options.signal } : {});
  }

  /**
   * Wait until the job leaves APPROVAL (approved, rejected, expired, cancelled) or `timeoutMs` passes,
   * one long request at a time: the server answers the moment the state changes. At the deadline the
   * job comes back still pending; nothing is thrown for that. Brief outages are waited out.
   */
  async waitForDecision(id: string, options: WaitOptions = {}): Promise<JobItem> {
    const deadline = Date.now() + (options.timeoutMs ?? DAY_MS);
    let last: JobItem | undefined;
    for (;;) {
      const left = deadline - Date.now();
      if (last && (last.job.state !== "APPROVAL" || left <= 0)) return last;
      try {
        last = await this.get(id, { waitSec: Math.min(MAX_WAIT_SEC, Math.ceil(Math.max(left, 0) / 1000)), ...(options.signal ? { signal: options.signal } : {}) });
        options.onPoll?.(last);
      } catch (err) {
        if (!isTransient(err) || Date.now() + 1000 > deadline) throw err;
        await sleep(1000, options.signal);
      }
    }
  }

  /** Claim the execution grant of an APPROVED job, once (a second claim is 409 `already_claimed`). */
  claim(target: ClaimTarget, options: { signal?: AbortSignal } = {}): Promise<ExecutionGrant> {
    const [id, body] =
      "job" in target
        ? [target.job.id, { job_hash: target.job_hash, policy_snapshot: target.policy_snapshot }]
        : [target.job_id, { job_hash: target.job_hash, ...(target.policy_snapshot !== undefined ? { policy_snapshot: target.policy_snapshot } : {}) }];
    return this.#request("POST", `/jobs/${encodeURIComponent(id)}/claim`, { body, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** Report how the run of a claimed job ended. */
  complete(id: string, outcome: Outcome, detail?: string): Promise<JobItem> {
    return this.#request("POST", `/jobs/${encodeURIComponent(id)}/complete`, { body: detail === undefined ? { outcome } : { outcome, detail } });
  }

  /** Withdraw a job still waiting for approval (only its submitter may). */
  cancel(id: string, reason?: string): Promise<JobItem> {
    return this.#request("POST", `/jobs/${encodeURIComponent(id)}/cancel`, { body: reason === undefined ? {} : { reason } });
  }

  /** The caller's own jobs, newest first, by topic and job hash (needs jobs:read). */
  async findJobs(query: FindJobsQuery = {}): Promise<JobItem[]> {
    const params = new URLSearchParams();
    if (query.topic !== undefined) params.set("topic", query.topic);
    if (query.job_hash !== undefined) params.set("job_hash", query.job_hash);
    if (query.limit !== undefined) params.set("limit", String(query.limit));
    const q = params.size ? `?${params}` : "";
    const page = await this.#request<{ items: JobItem[] }>("GET", `/jobs${q}`, query.signal ? { signal: query.signal } : {});
    return page.items;
  }

  /** The audit chain checked against a checkpoint log: a chain cut back or rewritten is named (needs audit:read). */
  verifyAudit(input: VerifyAuditInput): Promise<AuditVerification> {
    const q = input.tenant !== undefined ? `?${new URLSearchParams({ tenant: input.tenant })}` : "";
    const body = input.public_key !== undefined ? { checkpoints: input.checkpoints, public_key: input.public_key } : { checkpoints: input.checkpoints };
    return this.#request("POST", `/audit/verify${q}`, { body, ...(input.signal ? { signal: input.signal } : {}) });
  }

  /** The job hash the server will compute for this job (hex SHA-256 of its RFC 8785 canonical JSON). */
  jobHash(job: Pick<JobInput, "topic" | "risk_tags" | "payload">): Promise<string> {
    return jobHash(job);
  }

  /**
   * Submit (claiming at once when the policy allows), wait for people, and claim: the grant to run
   * `job`, or a typed error (DeniedError, RejectedError, ExpiredError, CancelledError, PendingError).
   * You complete the job yourself; `gate` does all of it.
   */
  authorize(job: JobInput, options: AuthorizeOptions = {}): Promise<Authorized> {
    return authorize(this, job, options);
  }

  /**
   * Run `fn` only once `job` may run: submit, wait, claim, run `fn(grant)`, and complete the job
   * `succeeded`, or `failed` with the error's message if `fn` throws (the error is rethrown).
   */
  gate<T>(job: JobInput, fn: (grant: ExecutionGrant, item: JobItem) => T | Promise<T>, options: GateOptions = {}): Promise<T> {
    return gate(this, job, fn, options);
  }
}
