import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN, E2E_AUTH_SECRET } from "../playwright.config";
import { signIn } from "./support/console";
import { signalGroup, startOwnServer, type OwnServer } from "./support/server";

// `npm run demo` shows the channels without Slack or a mail server (issue 30): a demo server of its own
// (E2E_CHANNELS_PORT + 1, default 3252) keeps what it would have sent; a person links Slack and opts
// out of mail on their own Settings page.

const PORT = Number(process.env.E2E_CHANNELS_PORT ?? 3251) + 1;
const BASE = `http://127.0.0.1:${PORT}`;
let db: { url: string; drop: () => Promise<void> } | undefined;
let server: OwnServer | undefined;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const { createScratchDatabase } = await import("../scripts/scratch-db.mjs");
  db = await createScratchDatabase("countersign_channels_demo");
  server = await startOwnServer(PORT, {
    DATABASE_URL: db.url,
    COUNTERSIGN_DEMO: "1",
    COUNTERSIGN_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
    AUTH_SECRET: E2E_AUTH_SECRET,
    COUNTERSIGN_AUDIT_KEY: "channels-demo-key-channels-demo-key-01",
    COUNTERSIGN_PUBLIC_URL: BASE,
    SMTP_URL: undefined,
    SLACK_BOT_TOKEN: undefined,
  });
});

test.afterAll(async () => {
  if (server) {
    signalGroup(server, "SIGTERM");
    await server.exited;
  }
  await db?.drop();
});

test("the demo previews the Slack message and the mail; Settings links Slack and opts out of mail", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "ada@demo.example", "demo-password-1");
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  const slackId = page.getByLabel(/Slack member ID/);
  await expect(slackId).toHaveValue("UADADEMO");
  await slackId.fill("U0ADA1234");
  await page.getByLabel("Do not email me about requests I can decide").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByLabel(/Slack member ID/)).toHaveValue("U0ADA1234");
  await expect(page.getByLabel("Do not email me about requests I can decide")).toBeChecked();

  // The ticker submits a job every few seconds; its Slack message and mails show up here.
  await page.getByRole("link", { name: /See what Slack and mail would have received/ }).click();
  await expect(page.getByRole("heading", { name: "Slack and mail previews" })).toBeVisible();
  await expect.poll(async () => {
    await page.reload();
    return page.getByText(/chat\.postMessage CDEMOAPPROVALS/).count();
  }, { timeout: 60_000, intervals: [3_000] }).toBeGreaterThan(0);
  await expect(page.getByRole("group", { name: "Buttons in Slack" }).first()).toBeVisible();
  await expect.poll(async () => {
    await page.reload();
    return page.getByText(/\/email\/eml-/).count();
  }, { timeout: 60_000, intervals: [3_000] }).toBeGreaterThan(0);
});

test("an admin routes roles to Slack channels from the console; others cannot", async ({ page }) => {
  await signIn(page, "alex@demo.example", "demo-password-1");
  await page.goto("/settings");
  await page.getByRole("link", { name: "Route work to Slack channels" }).click();
  const list = page.getByRole("list", { name: "Slack channels" });
  await expect(list.getByText("CDEMOAPPROVALS")).toBeVisible();
  await page.getByLabel(/Channel ID/).fill("#finance");
  await page.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Slack channel id" })).toBeVisible();
  await page.getByLabel(/Channel ID/).fill("CFIN0001");
  await page.getByLabel(/Roles/).fill("finance");
  await page.getByRole("button", { name: "Add channel" }).click();
  await expect(list.getByText("CFIN0001")).toBeVisible();
  await expect(list.getByRole("listitem").filter({ hasText: "CFIN0001" })).toContainText("finance");
  await page.getByRole("button", { name: "Remove CFIN0001" }).click();
  await expect(list.getByText("CFIN0001")).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, "ada@demo.example", "demo-password-1");
  await page.goto("/settings/slack");
  await expect(page.getByText("Only an admin routes work to Slack channels.")).toBeVisible();
});
