import type { StandingApprovalRow } from "@/lib/db/schema";

/** A standing approval as the API shows it (GET /approvals/standing). */
export interface StandingItem {
  id: string;
  job_hash: string;
  topic: string;
  agent: string;
  granted_by: string;
  granted_at: string;
  expires_at: string;
  source_job_id: string;
}

export function renderStanding(row: StandingApprovalRow): StandingItem {
  return {
    id: row.id,
    job_hash: row.jobHash,
    topic: row.topic,
    agent: row.agent,
    granted_by: row.grantedBy,
    granted_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    source_job_id: row.sourceJobId,
  };
}
