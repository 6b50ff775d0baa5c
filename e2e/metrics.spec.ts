import fs from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/console";
import { ownToken } from "./support/own-token";
import { jobs, makeWorld, PASSWORD } from "./support/world";

const tile = (page: Page, name: string) =>
  page.getByTestId("headline").locator("div").filter({ has: page.locator("dt").getByText(name, { exact: true }) });
const dailyRows = (page: Page) => page.getByRole("table", { name: "Time to decision per day, as a table" }).locator("tbody tr");

test("a manager reads the metrics, switches the window and exports a table as CSV", async ({ page, request, baseURL }) => {
  const w = await makeWorld(request, { mia: ["manager"], ops: ["service-owner"] });
  const decided = await w.submit(jobs.config("search"));
  await w.submit(jobs.config("billing"));
  // One human decision through the API, as a person's own token (which only they may mint).
  const opsToken = await ownToken(baseURL!, { ...w.people.ops!, password: PASSWORD }, { name: "ops", scopes: ["approvals:read", "approvals:resolve"] });
  const approved = await request.post(`/api/v1/approvals/${decided.id}/approve`, {
    headers: { authorization: `Bearer ${opsToken}` },
    data: { reason: "Rollback plan verified" },
  });
  expect(approved.status(), await approved.text()).toBe(200);

  await signIn(page, w.people.mia!.email);
  await page.getByRole("link", { name: "Metrics" }).click();
  await expect(page.getByRole("heading", { name: "Metrics", level: 1 })).toBeVisible();
  await expect(tile(page, "Decided").locator("dd").first()).toHaveText("1");
  await expect(tile(page, "Decided")).toContainText("1 approved · 0 rejected · 0 expired");
  await expect(tile(page, "Queue depth now").locator("dd").first()).toHaveText("1");
  await expect(page.getByRole("table", { name: /Decisions by rule/ })).toContainText("prod-write-gate");

  // The per-day table lists every UTC day the window touches: 8 for 7 days, 31 for 30 days.
  await page.getByText("Show the numbers as a table").click();
  await expect(dailyRows(page)).toHaveCount(8);
  await page.getByRole("radio", { name: "30 days" }).check();
  await expect(page).toHaveURL(/[?&]window=30d/);
  await expect(dailyRows(page)).toHaveCount(31);
  await expect(page.getByRole("radio", { name: "30 days" })).toBeChecked();
  await page.reload();
  await expect(page.getByRole("radio", { name: "30 days" })).toBeChecked();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV: the breakdown by rule" }).click()]);
  expect(download.suggestedFilename()).toBe("countersign-metrics-rule-30d.csv");
  const csv = await fs.readFile(await download.path(), "utf8");
  expect(csv.startsWith("rule,decided,approved,rejected,expired,p50_sec,p90_sec,p99_sec,sla_breaches,sla_breach_rate\r\n")).toBe(true);
  expect(csv).toMatch(/\r\nprod-write-gate,1,1,0,0,/);
});

test("a reviewer without the manager role is told the page is for managers", async ({ page, request }) => {
  const w = await makeWorld(request, { fay: ["finance"] });
  await signIn(page, w.people.fay!.email);
  await expect(page.getByRole("link", { name: "Metrics" })).toHaveCount(0);
  await page.goto("/metrics");
  // Filtered: Next's route announcer is an (empty) alert too.
  await expect(page.getByRole("alert").filter({ hasText: "This page is for managers" })).toBeVisible();
  await expect(page.getByTestId("headline")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Export CSV/ })).toHaveCount(0);
});
