import { z } from "zod";
import {
  ActivePolicy,
  Activation,
  AuditPage,
  AuditVerification,
  CallbackSecrets,
  DailyMetrics,
  DecisionMetrics,
  DeletedTarget,
  Delivery,
  DeliveryPage,
  NotificationTargetOut,
  NotificationTargets,
  JobDecisions,
  PolicyTestReport,
  MintedToken,
  QueuePage,
  ResolveResult,
  RevokedToken,
  PasswordLinkOut,
  TokenList,
  UserList,
  RotatedSecret,
  SnapshotList,
  Tenant,
  User,
  VerifyResult,
} from "./responses";
import { BudgetUse, ShadowMetrics } from "./responses-budgets";
import { RevokedStanding, StandingList } from "./responses-standing";
import { ApproveBody, QueueQuery, ResolveBody } from "@/lib/services/approvals/schemas";
import { AuditExportQuery, AuditQuery } from "@/lib/services/audit/list";
import { VerifyAuditBody } from "@/lib/services/audit/verify-checkpoints";
import { SCOPES } from "@/lib/services/context";
import {
  CancelBody,
  ClaimBody,
  CompleteBody,
  ExecutionGrant,
  IdempotencyKey,
  JobItem,
  OwnJobsPage,
  OwnJobsQuery,
  SubmitJobRequest,
  SubmittedJob,
  WaitQuery,
} from "@/lib/services/jobs/schemas";
import { DailyQuery } from "@/lib/services/metrics/daily";
import { MetricsQuery } from "@/lib/services/metrics/decisions";
import { ShadowQuery } from "@/lib/services/metrics/shadow";
import { UsersQuery } from "@/lib/services/provisioning/list-users";
import { TokensQuery } from "@/lib/services/provisioning/list-tokens";
import { DeliveriesQuery } from "@/lib/services/outbox/admin";
import { CreateTargetBody } from "@/lib/services/outbox/targets";
import { SimulateBody } from "@/lib/services/policy/simulate";
import { PolicyTestBody } from "@/lib/services/policy/test";
import { CreateTenantBody, CreateTokenBody, CreateUserBody, UpdateUserBody } from "@/lib/services/provisioning/schemas";
import { TenantQuery } from "@/lib/services/provisioning/tenants";

type Schema = z.ZodType;

interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  scopes: string[];
  body?: Schema | "yaml";
  bodyOptional?: boolean;
  headers?: { name: string; description: string; schema: Schema }[];
  query?: z.ZodObject;
  response?: Schema;
  status?: number;
  /** Other success answers, e.g. the 200 of an idempotent replay next to the 201 of a creation. */
  also?: Record<string, string>;
  errors: string[];
}

const jsonSchema = (s: Schema, io: "input" | "output") =>
  z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" });

const RESOLVE_ERRORS = ["rate_limited", "not_found", "self_approval", "role_required", "agent_cannot_resolve", "already_resolved", "already_voted", "stale_request", "stale_snapshot", "expired", "validation_failed"];

/** The route table: the same zod schemas the handlers parse with, so the document cannot drift. */
export const OPERATIONS: Operation[] = [
  { method: "post", path: "/jobs", summary: "Submit a proposed action; the policy decides at once. With \"claim\": true (the caller also holds jobs:execute; insufficient_scope otherwise), a job the policy allows is claimed in the same request: the answer carries `grant` (as from claim) and the job is RUNNING; a job that needs approval or is denied is not claimed and has no grant", scopes: ["jobs:submit"], body: SubmitJobRequest, headers: [{ name: "Idempotency-Key", description: "Same key and same body returns the first job (200); same key and another body is 409 idempotency_key_reused. `claim` is not part of the body compared; a replay asking to claim gets the grant again while the job it claimed at submission is still RUNNING.", schema: IdempotencyKey }], response: SubmittedJob, status: 201, also: { "200": "Replay of an Idempotency-Key: the first job" }, errors: ["rate_limited", "validation_failed", "invalid_json", "payload_too_large", "idempotency_key_reused"] },
  { method: "get", path: "/jobs", summary: "The caller's own jobs (submitted with the same token, or by the same person), newest first; filter by topic and job_hash (the MCP gateway finds the call it held before: the agent's most recent job with one topic and job hash)", scopes: ["jobs:read"], query: OwnJobsQuery, response: OwnJobsPage, errors: ["validation_failed"] },
  { method: "get", path: "/jobs/{id}", summary: "The job; ?wait=N holds until it leaves APPROVAL (N ≤ 55)", scopes: ["jobs:read"], query: WaitQuery, response: JobItem, errors: ["not_found", "too_many_waits"] },
  { method: "get", path: "/jobs/{id}/decisions", summary: "Decision log (why the policy gated) and approval log (who decided)", scopes: ["jobs:read", "approvals:read"], response: JobDecisions, errors: ["not_found"] },
  { method: "post", path: "/jobs/{id}/claim", summary: "Claim the execution grant of an APPROVED job, once", scopes: ["jobs:execute"], body: ClaimBody, response: ExecutionGrant, errors: ["not_found", "stale_request", "stale_snapshot", "already_claimed", "not_approved", "expired"] },
  { method: "post", path: "/jobs/{id}/complete", summary: "Report the outcome of a RUNNING job", scopes: ["jobs:execute"], body: CompleteBody, response: JobItem, errors: ["not_found", "not_running"] },
  { method: "post", path: "/jobs/{id}/cancel", summary: "The submitter withdraws a job still in APPROVAL", scopes: ["jobs:submit"], body: CancelBody, bodyOptional: true, response: JobItem, errors: ["not_found", "not_submitter", "already_resolved", "expired"] },
  { method: "get", path: "/approvals", summary: "The approval queue, most urgent first", scopes: ["approvals:read"], query: QueueQuery, response: QueuePage, errors: ["validation_failed", "invalid_cursor"] },
  { method: "get", path: "/approvals/stream", summary: "Server-sent events (`queue`: {job_id, state}) whenever a job enters or leaves the queue", scopes: ["approvals:read"], errors: ["too_many_waits"] },
  { method: "post", path: "/approvals/{job_id}/approve", summary: "Approve: counts toward every requirement the voter qualifies for. With standing_for (a duration ≤ 24h) the approval also stands for identical later jobs of the same agent (same job_hash) under this policy; 409 standing_not_allowed (nothing recorded) where a requirement needs more than one person or this approval alone does not approve the job", scopes: ["approvals:resolve"], body: ApproveBody, response: ResolveResult, errors: [...RESOLVE_ERRORS, "standing_not_allowed"] },
  { method: "get", path: "/approvals/standing", summary: "Live standing approvals (not revoked or expired), soonest to end first", scopes: ["approvals:read"], response: StandingList, errors: [] },
  { method: "delete", path: "/approvals/standing/{id}", summary: "Revoke a standing approval: its granter or an admin (others: 403 not_granter); revoking again answers as it stands; unknown: 404", scopes: ["approvals:resolve", "admin"], response: RevokedStanding, errors: ["not_found", "not_granter"] },
  { method: "post", path: "/approvals/{job_id}/reject", summary: "Reject: one qualified reject ends it", scopes: ["approvals:resolve"], body: ResolveBody, response: ResolveResult, errors: RESOLVE_ERRORS },
  { method: "get", path: "/policy", summary: "The active policy snapshot with its YAML", scopes: ["policy:read"], response: ActivePolicy, errors: [] },
  { method: "put", path: "/policy", summary: "Upload a new policy (application/yaml); re-decides pending and approved, unclaimed jobs", scopes: ["policy:write"], body: "yaml", response: Activation, errors: ["invalid_policy", "validation_failed", "unsupported_media_type", "payload_too_large"] },
  { method: "get", path: "/policy/snapshots", summary: "Policy history", scopes: ["policy:read"], response: SnapshotList, errors: [] },
  { method: "post", path: "/policy/snapshots/{id}/activate", summary: "Rollback: make an earlier snapshot active again (a new activation, audited; re-decides as PUT /policy does)", scopes: ["policy:write"], response: Activation, errors: ["not_found"] },
  { method: "post", path: "/policy/simulate", summary: "What a candidate policy would decide, for one job or the last days' jobs", scopes: ["policy:read"], body: SimulateBody, errors: ["invalid_policy", "validation_failed"] },
  { method: "post", path: "/policy/test", summary: "Run a tests file against a policy (both YAML) with the pure engine; touches no data", scopes: ["policy:read"], body: PolicyTestBody, response: PolicyTestReport, errors: ["invalid_policy", "invalid_tests", "validation_failed"] },
  { method: "get", path: "/policy/budgets", summary: "What each budget of the active policy has spent over its sliding window, per agent, on_behalf_of or tenant", scopes: ["policy:read"], response: BudgetUse, errors: [] },
  { method: "get", path: "/metrics/daily", summary: "Time-to-decision p50/p90/p99 per UTC day of the window (human decisions), every day listed; for window=24h also per UTC hour (`hours`)", scopes: ["metrics:read"], query: DailyQuery, response: DailyMetrics, errors: ["validation_failed"] },
  { method: "get", path: "/metrics/decisions", summary: "Time-to-decision percentiles, outcomes, SLA breaches, rejection reasons, queue depth", scopes: ["metrics:read"], query: MetricsQuery, response: DecisionMetrics, errors: ["validation_failed"] },
  { method: "get", path: "/metrics/shadow", summary: "Per shadow rule over the window: jobs it matched, how many it would have decided otherwise than the live outcome, and examples", scopes: ["metrics:read"], query: ShadowQuery, response: ShadowMetrics, errors: ["validation_failed"] },
  { method: "get", path: "/audit", summary: "Audit events in chain order", scopes: ["audit:read"], query: AuditQuery, response: AuditPage, errors: ["validation_failed", "invalid_cursor"] },
  { method: "get", path: "/audit/export", summary: "The audit trail as JSON Lines (application/x-ndjson), one event per line in chain order; the listing's filters apply", scopes: ["audit:read"], query: AuditExportQuery, errors: ["validation_failed"] },
  { method: "get", path: "/audit/verify", summary: "Recompute the tenant's hash chain and name the first broken link", scopes: ["audit:read"], response: VerifyResult, errors: [] },
  { method: "post", path: "/audit/verify", summary: "Recompute the chain and check it against a checkpoint log sent in the body (what `countersign audit verify --checkpoints FILE` sends): a chain cut back below or rewritten at a signed checkpoint is named, and so is every bad line of the log. The caller's tenant; the installation admin token: every tenant, or ?tenant=. Changes nothing. The body is at most 256 KiB: split a longer log, or verify it with `npm run audit:verify -- --checkpoints FILE`", scopes: ["audit:read"], query: TenantQuery, body: VerifyAuditBody, response: AuditVerification, errors: ["validation_failed", "invalid_json", "payload_too_large", "tenant_forbidden", "not_found"] },
  { method: "post", path: "/admin/tenants", summary: "Create a tenant (installation admin only)", scopes: ["admin"], body: CreateTenantBody, response: Tenant, status: 201, errors: ["installation_admin_required", "already_exists"] },
  { method: "post", path: "/admin/users", summary: "Create a user", scopes: ["admin"], body: CreateUserBody, response: User, status: 201, errors: ["already_exists", "tenant_forbidden"] },
  { method: "patch", path: "/admin/users/{id}", summary: "Change a user's roles, name, password, disabled flag or linked Slack member id (slack_user_id, null unlinks)", scopes: ["admin"], body: UpdateUserBody, response: User, errors: ["not_found"] },
  { method: "post", path: "/admin/tokens", summary: "Mint a token (the secret is shown once). Without admin: only a user token for yourself, within your own scopes. A user token with approvals:resolve: only by that person", scopes: ["admin"], body: CreateTokenBody, response: MintedToken, status: 201, errors: ["tenant_forbidden", "validation_failed", "mint_forbidden"] },
  { method: "get", path: "/admin/users", summary: "The tenant's people by email, with roles, disabled flag and whether they have set a password", scopes: ["admin"], query: UsersQuery, response: UserList, errors: ["validation_failed", "tenant_forbidden", "not_found"] },
  { method: "post", path: "/admin/users/{id}/password-link", summary: "A one-time link with which the person sets their own password (an invitation, or a reset); it works once and for 7 days. Audited", scopes: ["admin"], response: PasswordLinkOut, status: 201, errors: ["not_found", "user_disabled", "console_not_configured"] },
  { method: "get", path: "/admin/tokens", summary: "The tenant's tokens, newest first, without secrets: scopes, owner, expiry, revocation and last use (to within a minute)", scopes: ["admin"], query: TokensQuery, response: TokenList, errors: ["validation_failed", "tenant_forbidden", "not_found"] },
  { method: "delete", path: "/admin/tokens/{id}", summary: "Revoke a token", scopes: ["admin"], response: RevokedToken, errors: ["not_found"] },
  { method: "get", path: "/admin/deliveries", summary: "Webhook deliveries (agent callbacks, notifications) with every attempt: status, latency, error", scopes: ["admin"], query: DeliveriesQuery, response: DeliveryPage, errors: ["validation_failed", "invalid_cursor"] },
  { method: "post", path: "/admin/deliveries/{id}/redeliver", summary: "Send a delivery again now (a fresh 24 h retry window)", scopes: ["admin"], response: Delivery, errors: ["not_found"] },
  { method: "get", path: "/admin/callback-secrets", summary: "The secrets signing callbacks now (current first; the previous one during a rotation)", scopes: ["admin"], query: TenantQuery, response: CallbackSecrets, errors: [] },
  { method: "get", path: "/admin/notification-targets", summary: "Reviewer notification targets: Slack-compatible incoming webhooks (kind webhook) and channels of the Slack app (kind slack)", scopes: ["admin"], query: TenantQuery, response: NotificationTargets, errors: [] },
  { method: "post", path: "/admin/notification-targets", summary: "Add a notification target for new pending work, escalations and expiries, optionally only for some roles", scopes: ["admin"], body: CreateTargetBody, response: NotificationTargetOut, status: 201, errors: ["validation_failed"] },
  { method: "delete", path: "/admin/notification-targets/{id}", summary: "Remove a notification target", scopes: ["admin"], response: DeletedTarget, errors: ["not_found"] },
  { method: "post", path: "/integrations/slack/interactions", summary: "Slack's interactivity requests (application/x-www-form-urlencoded `payload`, as Slack sends them). No bearer token: Slack's v0 signature (X-Slack-Signature, X-Slack-Request-Timestamp within 5 minutes) is the credential, and each signed request is acted on once; anything else is 401 and stores nothing. A button opens the vote modal (views.open); its submission votes as the linked person with every rule of the console", scopes: [], errors: ["payload_too_large"] },
  { method: "post", path: "/admin/callback-secrets", summary: "Rotate the callback signing secret; the previous one keeps signing for 24 h", scopes: ["admin"], query: TenantQuery, response: RotatedSecret, status: 201, errors: [] },
];

const Problem = {
  type: "object",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string" },
    errors: { type: "array", items: { type: "object" } },
    // The request's id (also the x-request-id header): the server's log lines about it carry it.
    request_id: { type: "string" },
  },
};

function operation(op: Operation) {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const queryParams = op.query
    ? Object.entries(op.query.shape).map(([name, s]) => ({
        name,
        in: "query",
        required: !(s as Schema).safeParse(undefined).success,
        schema: jsonSchema(s as Schema, "input"),
      }))
    : [];
  const headerParams = (op.headers ?? []).map((h) => ({
    name: h.name,
    in: "header",
    required: false,
    description: h.description,
    schema: jsonSchema(h.schema, "input"),
  }));
  const requestBody =
    op.body === "yaml"
      ? { required: true, content: { "application/yaml": { schema: { type: "string" } } } }
      : op.body
        ? { required: !op.bodyOptional, content: { "application/json": { schema: jsonSchema(op.body, "input") } } }
        : undefined;
  const success = {
    content: { "application/json": { schema: op.response ? jsonSchema(op.response, "output") : { type: "object" } } },
  };
  return {
    summary: op.summary,
    description: `Scopes: ${op.scopes.join(" or ")}. Error codes: ${["unauthenticated", "insufficient_scope", ...op.errors].join(", ")}.`,
    security: [{ bearer: op.scopes }],
    parameters: [...pathParams, ...queryParams, ...headerParams],
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(op.status ?? 200)]: { description: "Success", ...success },
      ...Object.fromEntries(Object.entries(op.also ?? {}).map(([status, description]) => [status, { description, ...success }])),
      default: { description: "RFC 9457 problem", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
    },
  };
}

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  cached = {
    openapi: "3.1.0",
    info: { title: "Countersign", version: "1.0.0", description: "Pre-execution approval gate for autonomous agents." },
    servers: [{ url: "/api/v1" }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: `Tokens look like cs_…; scopes: ${SCOPES.join(", ")}` } },
      schemas: { Problem },
    },
  };
  return cached;
}
