import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { signIn } from "./support/console";
import { makeWorld } from "./support/world";

const POLICY = `version: v1
rules:
  - id: small-refund
    match: { topics: [job.payment.refund], when: payload.amount < 200 }
    decision: allow
    budget: { per: agent, window: 24h, max_count: 2, max_sum: { field: payload.amount, value: 1000 } }
  - id: try-refunds-over-100
    mode: shadow
    match: { topics: [job.payment.refund], when: payload.amount > 100 }
    decision: require_approval
`;

test("a manager sees each budget's use on the policy page and the shadow rules on metrics", async ({ page, request }) => {
  const w = await makeWorld(request, { mia: ["manager", "admin"] });
  const minted = await request.post("/api/v1/admin/tokens", {
    headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    data: { tenant: w.tenant, kind: "user", name: "policy", scopes: ["policy:read", "policy:write"], user_id: w.people.mia!.id },
  });
  expect(minted.status(), await minted.text()).toBe(201);
  const put = await request.put("/api/v1/policy", {
    headers: { authorization: `Bearer ${(await minted.json()).token}`, "content-type": "application/yaml" },
    data: POLICY,
  });
  expect(put.status(), await put.text()).toBeLessThan(300);
  // Two fit the budget of two; the third does not and waits for a reviewer. The shadow rule would have
  // asked for approval on the two above 100 that were allowed.
  for (const amount of [150, 40, 120]) await w.submit({ topic: "job.payment.refund", risk_tags: [], title: `Refund ${amount}`, payload: { amount, currency: "EUR" } });

  await page.setViewportSize({ width: 390, height: 900 });
  await signIn(page, w.people.mia!.email);
  await page.goto("/policy");
  const budgets = page.getByRole("region", { name: "Budgets" });
  await expect(budgets).toBeVisible();
  await expect(budgets.getByRole("heading", { name: "small-refund" })).toBeVisible();
  await expect(budgets).toContainText("At most 2 jobs and 1,000 of payload.amount per agent, over a sliding 24h");
  const row = budgets.getByRole("table", { name: "small-refund" }).getByRole("row", { name: /deploy-bot/ });
  await expect(row).toContainText("2 of 2 jobs, 190 of 1,000");
  await expectNoSeriousA11yViolations(page, { include: "section[aria-labelledby=budgets-title]" });
  // At 390 px the section fits: nothing scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await page.goto("/metrics");
  const shadow = page.getByRole("region", { name: "Shadow rules" });
  await expect(shadow).toBeVisible();
  const shadowRow = shadow.getByRole("row", { name: /try-refunds-over-100/ });
  await expect(shadowRow.getByRole("cell").nth(0)).toHaveText("2");
  await expect(shadowRow.getByRole("cell").nth(1)).toHaveText("1 (50%)");
  await expect(shadowRow.getByRole("link")).toHaveCount(1);
  await expectNoSeriousA11yViolations(page, { include: "section[aria-labelledby=shadow-title]" });
});
