/** Names for the API's shapes, taken from the generated schema so they cannot drift from the server. */
import type { components, paths } from "./schema.js";

type JsonOf<T> = T extends { content: { "application/json": infer B } } ? B : never;
type BodyOf<T> = T extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

/** A job as the API renders it everywhere (GET /jobs/{id}, the queue, GET /jobs). */
export type JobItem = JsonOf<paths["/jobs/{id}"]["get"]["responses"][200]>;
/** POST /jobs: the job, plus `grant` when it was claimed in the same request (`claim: true`). */
export type SubmitResult = JsonOf<paths["/jobs"]["post"]["responses"][201]>;
/** The execution grant: exactly what may run, under which policy snapshot, within which constraints. */
export type ExecutionGrant = JsonOf<paths["/jobs/{id}/claim"]["post"]["responses"][200]>;
/** What an agent proposes (the body of POST /jobs, without the `claim` option). */
export type JobInput = Omit<BodyOf<paths["/jobs"]["post"]>, "claim">;
export type JobState = JobItem["job"]["state"];
export type Decision = JobItem["decision"];
export type Outcome = BodyOf<paths["/jobs/{id}/complete"]["post"]>["outcome"];
/** POST /audit/verify: each chain, checked against the checkpoint log sent. */
export type AuditVerification = JsonOf<paths["/audit/verify"]["post"]["responses"][200]>;
/** RFC 9457 problem+json, with the stable `code` to switch on. */
export type Problem = components["schemas"]["Problem"];

export type { components, paths };
