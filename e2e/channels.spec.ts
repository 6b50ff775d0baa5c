import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN, E2E_AUTH_SECRET } from "../playwright.config";
import { startSmtpCatcher, personalLink } from "../test/smtp-catcher";
import { signalGroup, startOwnServer, type OwnServer } from "./support/server";
import { jobs, makeWorld } from "./support/world";

// Approval by email end to end (issue 30): a production server of its own (E2E_CHANNELS_PORT, default
// 3251) sending through a real SMTP server in this process; the mail is parsed and its link followed.

const PORT = Number(process.env.E2E_CHANNELS_PORT ?? 3251);
const BASE = `http://127.0.0.1:${PORT}`;
let db: { url: string; drop: () => Promise<void> } | undefined;
let server: OwnServer | undefined;
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  smtp = await startSmtpCatcher();
  const { createScratchDatabase } = await import("../scripts/scratch-db.mjs");
  db = await createScratchDatabase("countersign_channels");
  server = await startOwnServer(PORT, {
    DATABASE_URL: db.url,
    COUNTERSIGN_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
    AUTH_SECRET: E2E_AUTH_SECRET,
    COUNTERSIGN_AUDIT_KEY: "channels-e2e-key-channels-e2e-key-0123",
    COUNTERSIGN_PUBLIC_URL: BASE,
    SMTP_URL: smtp.url,
  });
});

test.afterAll(async () => {
  if (server) {
    signalGroup(server, "SIGTERM");
    await server.exited;
  }
  await smtp?.close();
  await db?.drop();
});

test("a reviewer follows the mail's personal link and decides with a reason; the link then counts no more", async ({ page, request }) => {
  const world = await makeWorld(request, { reviewer: ["service-owner"], owner: ["requester"] });
  const job = await world.submit(jobs.config("billing"));
  const email = world.people.reviewer!.email;
  await expect.poll(() => smtp.mails.find((m) => (m.text ?? "").includes(job.id) && JSON.stringify(m.to).includes(email)), { timeout: 15_000 }).toBeTruthy();
  const mail = smtp.mails.find((m) => (m.text ?? "").includes(job.id))!;
  expect(mail.subject).toContain(job.summary);
  expect(mail.text).toContain(`${BASE}/jobs/${job.id}`);
  const token = personalLink(mail)!;

  // A mail scanner fetching the link changes nothing.
  expect((await request.get(`/email/${token}`)).status()).toBe(200);
  await page.goto(`/email/${token}`);
  await expect(page.getByRole("heading", { name: job.summary })).toBeVisible();
  await expect(page.getByText(`For ${email}`)).toBeVisible();
  const before = await request.get(`/api/v1/jobs/${job.id}/decisions`, { headers: { authorization: `Bearer ${world.agentToken}` } });
  expect((await before.json()).votes).toHaveLength(0);

  // The reason is required (the browser's own check first; nothing is sent).
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toHaveCount(0);
  await page.getByLabel("Reason").fill("Timeout raise agreed in the incident review");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toContainText("decided it: approved");

  const after = await request.get(`/api/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${world.agentToken}` } });
  expect(await after.json()).toMatchObject({ job: { state: "APPROVED" }, resolved_by: email, resolved_comment: "Timeout raise agreed in the incident review" });
  // The approval log names the channel: the vote came through this mail link.
  const log = await request.get(`/api/v1/jobs/${job.id}/decisions`, { headers: { authorization: `Bearer ${world.agentToken}` } });
  expect((await log.json()).votes).toMatchObject([{ credential: `email:${token.split(".")[0]}` }]);

  // Used: the page says so and shows no form.
  await page.goto(`/email/${token}`);
  await expect(page.getByText("This link was already used")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // A tampered signature is no link at all.
  await page.goto(`/email/${token.slice(0, -2)}xx`);
  await expect(page.getByRole("heading", { name: "Link not valid" })).toBeVisible();
});

test("the page works at 390 px", async ({ page, request }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  const world = await makeWorld(request, { reviewer: ["service-owner"], owner: ["requester"] });
  const job = await world.submit(jobs.config("search"));
  await expect.poll(() => smtp.mails.find((m) => (m.text ?? "").includes(job.id)), { timeout: 15_000 }).toBeTruthy();
  await page.goto(`/email/${personalLink(smtp.mails.find((m) => (m.text ?? "").includes(job.id))!)}`);
  await expect(page.getByLabel("Reason")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
