import "server-only";
import type { Db } from "@/lib/db/client";
import type { deliveries } from "@/lib/db/schema";
import type { SendResult } from "@/lib/services/outbox/send";

/** An outbox row for mail: `mailto:` fans out to the people who can act, `mailto:<user id>` is one mail. */
export const MAIL_URL_PREFIX = "mailto:";

export async function sendMail(_db: Db, _d: typeof deliveries.$inferSelect, _now: Date): Promise<SendResult> {
  return { statusCode: null, error: "mail is not built yet", latencyMs: 0 };
}
