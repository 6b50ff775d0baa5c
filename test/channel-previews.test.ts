import { and, eq, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase, getDb } from "@/lib/db/client";
import { deliveries, users } from "@/lib/db/schema";
import { listPreviews } from "@/lib/services/channels/previews";
import { seedDemoChannels } from "@/lib/services/demo/channels";
import { deliverDue } from "@/lib/services/outbox/deliver";
import { contextFor, makeWorld, type Person, type World } from "./fixtures";

// `npm run demo` without Slack or SMTP: what would have been sent is kept for the preview page.
let w: World;
let reviewer: Person;

beforeAll(async () => {
  Object.assign(process.env, { COUNTERSIGN_DEMO: "1" });
  delete process.env.SLACK_BOT_TOKEN;
  delete process.env.SMTP_URL;
  w = await makeWorld("demo-ch");
  reviewer = await w.person(["service-owner"], "ada");
  await seedDemoChannels(await getDatabase(), w.tenant, new Date());
  await seedDemoChannels(await getDatabase(), w.tenant, new Date()); // again: nothing doubles
});

describe("demo channel previews", () => {
  it("keeps the Slack message as Block Kit and the mail with its personal link", async () => {
    const db = await getDb();
    await db.update(deliveries).set({ nextAttemptAt: new Date(Date.now() + 365 * 86_400_000) }).where(and(ne(deliveries.tenantId, w.tenant), eq(deliveries.state, "pending")));
    const job = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { service: "billing" } });
    for (let i = 0; i < 2; i++) await deliverDue(db, new Date(), { allow: new Set() });
    const [person] = await db.select().from(users).where(eq(users.id, reviewer.id));
    expect(person!.slackUserId).toMatch(/^U[A-Z0-9]+DEMO$/);
    const ctx = await contextFor({ kind: "user", tenantId: w.tenant, userId: reviewer.id, email: reviewer.email, roles: ["service-owner"], scopes: new Set(), tokenId: null });
    const previews = await listPreviews({ ctx });
    const slack = previews.filter((p) => p.kind === "slack" && p.job_id === job.job.id);
    expect(slack).toHaveLength(1);
    expect(slack[0]!.target).toBe("chat.postMessage CDEMOAPPROVALS");
    expect(JSON.stringify(slack[0]!.body)).toContain("cs_approve");
    const mail = previews.find((p) => p.kind === "email" && p.target === reviewer.email);
    expect((mail!.body as { text: string }).text).toMatch(/\/email\/eml-/);
  });
});
