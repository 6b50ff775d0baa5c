import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import type { Db } from "@/lib/db/client";
import { deliveries, emailLinks, users } from "@/lib/db/schema";
import { findJob } from "@/lib/services/jobs/find";
import { cannotAct, renderJob } from "@/lib/services/jobs/render";
import { deadlineOf } from "@/lib/services/jobs/state";
import { consoleOrigin } from "@/lib/services/outbox/notify";
import type { SendResult } from "@/lib/services/outbox/send";
import { approvalMail } from "./mail-body";
import { linkToken } from "./mail-link";
import { sendOneMail } from "./mail-transport";
import { jobLink } from "./slack-messages";
import { channelVoter } from "./voter";

/** An outbox row for mail: `mailto:` fans out to the people who can act, `mailto:<user id>` is one mail. */
export const MAIL_URL_PREFIX = "mailto:";

/** One mail per job, person and event, however often the fan-out is retried. */
const mailId = (jobId: string, userId: string, event: string) => `dlv-m-${Buffer.from(`${jobId}:${userId}:${event}`).toString("base64url")}`;

type Delivery = typeof deliveries.$inferSelect;

/**
 * Deliver a mail row of the outbox. The fan-out (`mailto:`) finds, when it runs, the people who can act
 * on the job now (their roles, not their own request, not voted yet, not opted out) and queues one row
 * each; each of those mints a personal link and sends the mail. Both skip a job no longer pending.
 */
export async function sendMail(db: Db, d: Delivery, now: Date): Promise<SendResult> {
  const started = performance.now();
  const result = (error: string | null): SendResult => ({ statusCode: error ? null : 250, error, latencyMs: Math.round(performance.now() - started) });
  try {
    if (!d.jobId) return result(null);
    const { job, votes } = await findJob(db, d.tenantId, d.jobId);
    const userId = d.url.slice(MAIL_URL_PREFIX.length);
    const people = await db
      .select()
      .from(users)
      .where(
        and(
          eq(users.tenantId, d.tenantId),
          eq(users.disabled, false),
          eq(users.emailOptOut, false),
          userId ? eq(users.id, userId) : sql`${users.roles} && ${sql.param(job.eligibleRoles)}::text[]`,
        ),
      );
    const able = people.filter((p) => cannotAct(job, votes, channelVoter(p, "email:"), now) === null);
    if (!userId) {
      if (able.length) {
        await db
          .insert(deliveries)
          .values(able.map((p) => ({ id: mailId(job.id, p.id, d.eventType), tenantId: d.tenantId, jobId: job.id, kind: "notification" as const, eventType: d.eventType, url: `${MAIL_URL_PREFIX}${p.id}`, body: "", nextAttemptAt: now, createdAt: now })))
          .onConflictDoNothing();
      }
      return result(null);
    }
    const person = able[0];
    if (!person) return result(null); // decided, expired, voted or opted out since: nothing to ask
    const link = { id: `eml-${ulid()}`, tenantId: d.tenantId, jobId: job.id, userId: person.id };
    await db.insert(emailLinks).values({ ...link, createdAt: now });
    const personal = `${consoleOrigin()}/email/${linkToken(link)}`;
    const mail = approvalMail(renderJob(job, votes, channelVoter(person, "email:"), now), d.eventType, { personal, console: jobLink(job.id) }, deadlineOf(job));
    await sendOneMail(db, d.tenantId, job.id, { to: person.email, ...mail });
    return result(null);
  } catch (err) {
    return result(`mail: ${(err as Error).message}`);
  }
}
