import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { signIn } from "./support/console";
import { ownToken } from "./support/own-token";
import { jobs, makeWorld, PASSWORD } from "./support/world";

test("decisions all on one day still draw a readable chart; the 24 h window shows hours", async ({ page, request, baseURL }) => {
  const w = await makeWorld(request, { mia: ["manager"], ops: ["service-owner"] });
  const opsToken = await ownToken(baseURL!, { ...w.people.ops!, password: PASSWORD }, { name: "ops", scopes: ["approvals:read", "approvals:resolve"] });
  for (const service of ["search", "billing"]) {
    const job = await w.submit(jobs.config(service));
    const res = await request.post(`/api/v1/approvals/${job.id}/approve`, { headers: { authorization: `Bearer ${opsToken}` }, data: { reason: "Rollback plan verified" } });
    expect(res.status(), await res.text()).toBe(200);
  }

  await signIn(page, w.people.mia!.email);
  await page.goto("/metrics?window=7d");
  const chart = page.getByRole("img", { name: /Chart of time to decision per day/ });
  await expect(chart).toBeVisible();
  await expect(page.getByText(/All 2 decisions of the last 7 days fell on \d{4}-\d{2}-\d{2}/)).toBeVisible();
  // Drawn as bars that fill the chart, not a lone dot.
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("radio", { name: "24 hours" }).check();
  await expect(page.getByRole("heading", { name: "Time to decision per hour" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Chart of time to decision per hour/ })).toBeVisible();
  await expect(page.getByText(/All 2 decisions of the last 24 hours fell on the hour from \d{2}:00 UTC/)).toBeVisible();
  await page.getByText("Show the numbers as a table").click();
  const rows = page.getByRole("table", { name: "Time to decision per hour, as a table" }).locator("tbody tr");
  expect(await rows.count()).toBeGreaterThanOrEqual(24);
  await expect(page.getByRole("columnheader", { name: "Hour (UTC)" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
