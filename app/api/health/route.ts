import { sql } from "drizzle-orm";
import { json } from "@/lib/api/route";
import { problem } from "@/lib/api/problem";
import { getDatabase } from "@/lib/db/client";
import { log, requestIdOf } from "@/lib/log";

export const dynamic = "force-dynamic";

/** 200 when the database answers. */
export async function GET(req: Request): Promise<Response> {
  try {
    const database = await getDatabase();
    await database.db.execute(sql`select 1`);
    return json({ status: "ok", database: database.kind });
  } catch (err) {
    const requestId = requestIdOf(req);
    log().error({ err, request_id: requestId }, "health check failed");
    return problem(503, "unavailable", "Unavailable", "The database does not answer.", { requestId });
  }
}
