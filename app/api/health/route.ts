import { sql } from "drizzle-orm";
import { json } from "@/lib/api/route";
import { problem } from "@/lib/api/problem";
import { getDatabase } from "@/lib/db/client";

export const dynamic = "force-dynamic";

/** 200 when the database answers. */
export async function GET(): Promise<Response> {
  try {
    const database = await getDatabase();
    await database.db.execute(sql`select 1`);
    return json({ status: "ok", database: database.kind });
  } catch (err) {
    console.error("[countersign] health check failed", err);
    return problem(503, "unavailable", "Unavailable", "The database does not answer.");
  }
}
