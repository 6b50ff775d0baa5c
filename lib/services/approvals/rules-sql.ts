import "server-only";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { jobs, jobsTally } from "@/lib/db/schema";
import { isEscalationDueSql, isStillPendingSql } from "@/lib/services/jobs/state-sql";

/** Who asks, as statement values: placeholders in a statement built once (approvals/list.ts). */
export interface AskerSql {
  now: Placeholder;
  /** The asker's email, lower-cased. */
  email: Placeholder;
  /** `[{"userId": <the asker's id>}]` as JSON text: the tally holds it once they voted. */
  voted: Placeholder;
  /** The asker's roles, a text[]. */
  roles: Placeholder;
}

/**
 * The SQL twin of `refusalFor(...) === null` (rules.ts) on the row, for an asker `standingRefusal` lets
 * vote at all (a person with approvals:resolve; for anyone else it is `false`): the job pending and not
 * lapsed, not the asker's own request, one of their roles eligible at this escalation, not voted on by
 * them. Held equal to it on generated cases by test/rule-twins.test.ts.
 */
export function refusalForIsNullSql(asker: AskerSql | null): SQL {
  if (!asker) return sql`false`;
  const roles = sql`${asker.roles}::text[]`;
  return sql`(${isStillPendingSql(asker.now)}
    and lower(coalesce(${jobs.onBehalfOf}, '')) <> ${asker.email} and lower(coalesce(${jobs.submitterEmail}, '')) <> ${asker.email}
    and not ${jobsTally} @> ${asker.voted}::jsonb
    and (${jobs.eligibleRoles} && ${roles}
      or (${isEscalationDueSql(asker.now)} and exists (
        select 1 from jsonb_array_elements(${jobs.requirements}) as r(req)
        where countersign_requirement_roles(r.req, true) ?| ${roles}))))`;
}
