import { z } from "zod";

/** Standing approvals' answer shapes (DESIGN §2.1) for the OpenAPI document. */
const ISO = z.string().describe("RFC 3339 timestamp");

export const StandingApproval = z.object({
  id: z.string(),
  job_hash: z.string(),
  topic: z.string(),
  agent: z.string().describe("the requested_by of the jobs it approves"),
  granted_by: z.string(),
  granted_at: ISO,
  expires_at: ISO,
  source_job_id: z.string().describe("the job whose approval granted it"),
});

export const StandingList = z.object({ items: z.array(StandingApproval), next_cursor: z.null() });

export const RevokedStanding = StandingApproval.extend({ revoked_at: ISO, revoked_by: z.string() });
