import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { standingApprovals as s } from "@/lib/db/schema";

/**
 * A standing approval that approves this job now (DESIGN §2.1): granted for the same agent and the same
 * job hash under the policy in force, neither revoked nor expired. One home for the rule: the submission
 * statement looks for one with it (slots), and the standing path locks the one it found with it (values).
 */
export function liveGrant(v: { tenant: unknown; agent: unknown; hash: unknown; snapshot: unknown; now: SQL }): SQL {
  return sql`${s.tenantId} = ${v.tenant} and ${s.agent} = ${v.agent} and ${s.jobHash} = ${v.hash} and ${s.revokedAt} is null
    and ${s.snapshotId} = ${v.snapshot} and ${s.expiresAt} > ${v.now}`;
}
