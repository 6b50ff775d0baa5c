import type { JobItem } from "./types.js";

export interface FieldError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface CountersignErrorInit {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  job?: JobItem;
  message?: string;
  cause?: unknown;
}

/**
 * Every refusal: an API problem (its HTTP `status` and stable `code`, e.g. 409 `already_claimed`), a
 * server that cannot be reached (status 0, code `unreachable`), or a job the gate did not let through
 * (the subclasses below, carrying the `job`).
 */
export class CountersignError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly job?: JobItem;

  constructor(init: CountersignErrorInit) {
    super(init.message ?? `${init.status} ${init.code}: ${init.detail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "CountersignError";
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    if (init.errors) this.errors = init.errors;
    if (init.job) this.job = init.job;
  }
}

/** Worth asking again: the server could not be reached, was overloaded, or asked to slow down. */
export const isTransient = (err: unknown): boolean =>
  err instanceof CountersignError && (err.status === 0 || err.status === 429 || err.status >= 500);

const jobRef = (job: JobItem) => `${job.job.id} (${job.job.topic})`;

/** The policy denied the job: `detail` is the policy's reason. */
export class DeniedError extends CountersignError {
  constructor(job: JobItem) {
    const reason = job.policy_reason;
    super({ status: 403, code: "denied", detail: reason, job, message: `Denied by policy rule ${job.policy_rule_id}: ${reason}. Job ${jobRef(job)}; do not retry it unchanged.` });
    this.name = "DeniedError";
  }
}

/** A person rejected the job: `detail` is their reason. */
export class RejectedError extends CountersignError {
  constructor(job: JobItem) {
    const reason = job.resolved_comment ?? "no reason given";
    super({ status: 403, code: "rejected", detail: reason, job, message: `Rejected by ${job.resolved_by ?? "a reviewer"}: ${reason}. Job ${jobRef(job)}.` });
    this.name = "RejectedError";
  }
}

/** Nobody approved the job before its cutoff. */
export class ExpiredError extends CountersignError {
  constructor(job: JobItem) {
    super({ status: 409, code: "expired", detail: "Nobody approved the job before it expired.", job, message: `Expired: nobody approved job ${jobRef(job)} before its cutoff.` });
    this.name = "ExpiredError";
  }
}

/** The job was withdrawn while it waited. */
export class CancelledError extends CountersignError {
  constructor(job: JobItem) {
    const reason = job.resolved_comment ? `: ${job.resolved_comment}` : "";
    super({ status: 409, code: "cancelled", detail: job.resolved_comment ?? "The job was cancelled.", job, message: `Cancelled by ${job.resolved_by ?? "its submitter"}${reason}. Job ${jobRef(job)}.` });
    this.name = "CancelledError";
  }
}

/** Still waiting for people when the caller's deadline came; the job stays open and can be waited on again. */
export class PendingError extends CountersignError {
  readonly consoleUrl: string | undefined;

  constructor(job: JobItem, consoleUrl?: string) {
    const missing = job.requirements
      .filter((r) => r.approvals < r.count)
      .map((r) => `${r.count - r.approvals} more of ${r.roles.join("/")}`)
      .join(" and ");
    const where = consoleUrl ? ` Review: ${consoleUrl}.` : "";
    super({
      status: 202,
      code: "pending",
      detail: missing ? `Waiting for approval: ${missing}.` : "Waiting for approval.",
      job,
      message: `Still awaiting approval${missing ? ` (${missing})` : ""}: job ${jobRef(job)}.${where} Trying again with the same input continues with this job.`,
    });
    this.name = "PendingError";
    this.consoleUrl = consoleUrl;
  }
}

/** The typed error for a job that ended without being allowed to run, or null. */
export function refusalOf(job: JobItem): CountersignError | null {
  switch (job.job.state) {
    case "DENIED":
      return new DeniedError(job);
    case "REJECTED":
      return new RejectedError(job);
    case "EXPIRED":
      return new ExpiredError(job);
    case "CANCELLED":
      return new CancelledError(job);
    default:
      return null;
  }
}
