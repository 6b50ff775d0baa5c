export { Countersign } from "./client.js";
export type { ClaimTarget, CountersignOptions, Fetch, FindJobsQuery, SubmitOptions, VerifyAuditInput, WaitOptions } from "./client.js";
export type { AuthorizeOptions, Authorized, GateOptions } from "./gate.js";
export {
  CancelledError,
  CountersignError,
  DeniedError,
  ExpiredError,
  isTransient,
  PendingError,
  RejectedError,
  refusalOf,
} from "./errors.js";
export type { CountersignErrorInit, FieldError } from "./errors.js";
export { canonicalJson, jobHash, sha256Hex } from "./jcs.js";
export { verifySignature } from "./signature.js";
export type { VerifyOptions } from "./signature.js";
export type { AuditVerification, components, Decision, ExecutionGrant, JobInput, JobItem, JobState, Outcome, paths, Problem, SubmitResult } from "./types.js";
