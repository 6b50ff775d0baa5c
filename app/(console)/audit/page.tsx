import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { AuditClient } from "./_components/audit-client";

export const metadata: Metadata = { title: "Audit" };

// The event types the app writes, for the filter (free text would invite typos that match nothing).
const TYPES = [
  "job.submitted", "vote.cast", "job.approved", "job.rejected", "job.claimed", "job.completed", "job.cancelled",
  "job.expired", "job.escalated", "job.redecided", "policy.activated", "user.created", "user.updated",
  "token.created", "token.revoked", "tenant.created", "callback_secret.rotated", "delivery.redelivered",
  "notification_target.created", "notification_target.deleted", "audit.event_rejected",
  "approval.standing_granted", "approval.standing_used", "approval.standing_revoked",
];

export default async function AuditPage() {
  const ctx = await requireCtx();
  if (!ctx.principal.scopes.has("audit:read")) {
    return (
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
        The audit trail is for admins, managers and security. Ask an admin for one of those roles.
      </p>
    );
  }
  return <AuditClient types={TYPES} />;
}
