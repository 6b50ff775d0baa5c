import { z } from "zod";
import { SCOPES } from "@/lib/services/context";
import { Instant, plainLine } from "@/lib/services/jobs/schemas";

export const TenantId = z.string().min(2).max(63).regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and -");
export const Role = z.string().min(1).max(64).regex(/^[a-z0-9_-]+$/, "lowercase a-z 0-9 _ -");
/** An email as people type it: surrounding spaces dropped, compared in lower case. */
export const Email = z.string().trim().max(320).email().transform((e) => e.toLowerCase());
export const SlackUserId = z.string().regex(/^[UW][A-Z0-9]{2,30}$/, "a Slack member id such as U0123ABCD");
export const Password = z.string().min(10, "at least 10 characters").max(200);

export const CreateTenantBody = z.object({ id: TenantId, name: plainLine(200).optional() }).strict();
export type CreateTenantBody = z.infer<typeof CreateTenantBody>;

export const CreateUserBody = z
  .object({
    tenant: TenantId.optional(),
    email: Email,
    name: plainLine(200).optional(),
    roles: z.array(Role).max(32).default([]),
    password: Password.optional(),
  })
  .strict();
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({
    name: plainLine(200).nullable().optional(),
    roles: z.array(Role).max(32).optional(),
    password: Password.optional(),
    disabled: z.boolean().optional(),
    // The person's Slack member id (DESIGN §8); null unlinks.
    slack_user_id: SlackUserId.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "name at least one field to change" });
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

/** Scopes that would let an agent approve, or arrange approval of, its own work. */
export const AGENT_FORBIDDEN = ["approvals:resolve", "admin", "policy:write"] as const;

export const CreateTokenBody = z
  .object({
    tenant: TenantId.optional(),
    kind: z.enum(["agent", "user"]),
    name: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.@-]+$/, "letters, digits and _ . @ -"),
    scopes: z.array(z.enum(SCOPES)).min(1),
    user_id: z.string().min(1).max(100).optional(),
    owner_email: Email.optional(),
    expires_at: Instant.optional(),
    // This token's own budget, in requests per minute; unset means the installation's default.
    rate_limits: z
      .object({
        submit_per_minute: z.number().int().min(1).max(1_000_000).optional(),
        resolve_per_minute: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((b, issue) => {
    // An agent may never open its own gate: not by resolving, not by provisioning a person who could
    // (admin), not by uploading a policy that allows what it wants to do (policy:write).
    for (const scope of AGENT_FORBIDDEN) {
      if (b.kind === "agent" && b.scopes.includes(scope)) {
        issue.addIssue({ code: "custom", path: ["scopes"], message: `an agent token can never hold ${scope}` });
      }
    }
    if (b.kind === "user" && !b.user_id) {
      issue.addIssue({ code: "custom", path: ["user_id"], message: "a user token needs the user_id it acts as" });
    }
    if (b.kind === "agent" && b.user_id) {
      issue.addIssue({ code: "custom", path: ["user_id"], message: "agent tokens do not act as a user; use owner_email" });
    }
    if (b.kind === "user" && b.owner_email) {
      issue.addIssue({ code: "custom", path: ["owner_email"], message: "owner_email is for agent tokens" });
    }
  });
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;
