import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { signIn } from "./support/console";
import { jobs, makeWorld } from "./support/world";

// Issue 28/29: Check shows the whole impact, Activate and Restore confirm it, the Tests box, and
// standing approvals granted from the approve form and revoked from their list.

const TESTS_YAML = `- name: a refund needs finance
  job: { topic: job.payment.refund, risk_tags: [payment], payload: { amount: 10 } }
  expect: { decision: REQUIRE_APPROVAL, rule_id: payment-gate }
- name: a wrong expectation
  job: { topic: job.payment.refund, risk_tags: [payment], payload: { amount: 10 } }
  expect: { decision: ALLOW }
`;

test("policy: Check and Activate state the whole impact, Restore rolls back, Tests run against the draft", async ({ page, request }) => {
  const w = await makeWorld(request, { root: ["admin"] });
  for (let n = 1; n <= 3; n++) await w.submit(jobs.payment(n));
  await signIn(page, w.people.root!.email);
  await page.getByRole("link", { name: "Policy" }).click();
  await expect(page.getByRole("region", { name: "YAML", exact: true })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  // The active policy's YAML can be reached and scrolled by keyboard.
  await page.getByRole("region", { name: "YAML", exact: true }).focus();
  await expect(page.getByRole("region", { name: "YAML", exact: true })).toBeFocused();

  const editor = page.getByLabel("Policy YAML");
  const original = await editor.inputValue();
  const lowered = original.replace("approvers: { roles: [finance], count: 2 }\n    sla: 60m", "approvers: { roles: [finance], count: 1 }\n    sla: 15m");
  expect(lowered).not.toBe(original);
  await editor.fill(lowered);
  await page.getByText("Changes from the active policy").click();
  await expect(page.getByRole("region", { name: /Changes from the active policy/ })).toContainText("+     approvers: { roles: [finance], count: 1 }");
  await expect(page.getByRole("region", { name: /Changes from the active policy/ })).toContainText(/unchanged lines/);

  await page.getByRole("button", { name: "Check" }).click();
  const result = page.getByTestId("simulation-result");
  await expect(result).toContainText("Activating re-decides 3 open jobs");
  await expect(result).toContainText("Approvals needed: payment-gate: 2 of finance → payment-gate: 1 of finance (3 jobs, 3 open)");
  await expect(result).toContainText("SLA: 1h → 15m (3 jobs, 3 open)");
  await expect(result).toContainText("Refund order 1");

  // Tests box: one case passes, one fails, against the draft.
  await page.getByLabel("Tests YAML").fill(TESTS_YAML);
  await page.getByRole("button", { name: "Run tests" }).click();
  const report = page.getByTestId("policy-test-report");
  await expect(report).toContainText("1 passed, 1 failed");
  const results = report.getByRole("list", { name: "Test results" }).getByRole("listitem");
  await expect(results.filter({ hasText: "a refund needs finance" })).toContainText("Pass");
  await expect(results.filter({ hasText: "a wrong expectation" })).toContainText("Fail");

  // Activate asks first, stating the impact; Cancel changes nothing.
  const activeId = await page.getByTestId("active-snapshot-id").textContent();
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  let dialog = page.getByRole("dialog", { name: "Activate this policy?" });
  await expect(dialog).toContainText("Activating re-decides 3 open jobs");
  await expect(dialog).toContainText("SLA: 1h → 15m");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("active-snapshot-id")).toHaveText(activeId!);

  await page.getByRole("button", { name: "Activate", exact: true }).click();
  dialog = page.getByRole("dialog", { name: "Activate this policy?" });
  await dialog.getByRole("button", { name: "Activate and re-decide 3 open jobs" }).click();
  await expect(page.getByText("Activated. This is now the active policy.")).toBeVisible();
  await expect(page.getByTestId("active-snapshot-id")).not.toHaveText(activeId!);

  // Restore the earlier version, after its own confirmation.
  const history = page.getByRole("list", { name: "Policy snapshots, newest first" });
  await history.getByRole("button", { name: /Restore this version/ }).click();
  dialog = page.getByRole("dialog", { name: "Restore this version?" });
  await expect(dialog).toContainText("Approvals needed: payment-gate: 1 of finance → payment-gate: 2 of finance");
  await dialog.getByRole("button", { name: /^Activate and re-decide/ }).click();
  await expect(page.getByRole("region", { name: "History" }).getByText("Activated. This is now the active policy.")).toBeVisible();
  await expect(page.getByTestId("active-snapshot-id")).toHaveText(activeId!);
});

test("standing approval: granted from the approve form, approves the same request again, revoked from its list", async ({ page, request }) => {
  const w = await makeWorld(request, { oncall: ["oncall"], fin: ["finance"] });
  const change = jobs.config("billing-api");
  const first = await w.submit(change);
  await signIn(page, w.people.oncall!.email);
  await page.goto(`/jobs/${first.id}`);
  const form = page.getByRole("form", { name: "Your decision" });
  await form.getByText("Approve", { exact: true }).click();
  await form.getByLabel(/^Reason/).selectOption("Low risk, expected change");
  await form.getByLabel("Also approve identical requests from this agent for").check();
  await form.getByLabel("Standing approval duration").selectOption("1h");
  await form.getByRole("button", { name: /^Approve this request/ }).click();
  await expect(page.getByTestId("job-state")).toContainText(/approved/i);

  // The same request from the same agent is approved at submission.
  const again = await request.post("/api/v1/jobs", { headers: { authorization: `Bearer ${w.agentToken}` }, data: change });
  const item = await again.json();
  expect(item.job.state).toBe("APPROVED");
  expect(item.resolved_by).toBe(w.people.oncall!.email);
  await page.goto(`/jobs/${item.job.id}`);
  await expect(page.getByText(/approved by a standing approval/)).toBeVisible();
  await expect(page.getByText(new RegExp(`granted by ${w.people.oncall!.email.replace(/[.]/g, "\\.")}`)).first()).toBeVisible();

  await page.getByRole("link", { name: "Standing approvals" }).click();
  const list = page.getByRole("list", { name: "Live standing approvals" });
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText("job.config.update");
  await expect(list).toContainText("agent:deploy-bot");
  await expectNoSeriousA11yViolations(page);
  await list.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke this standing approval?" });
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText("No standing approvals are live.")).toBeVisible();
  const after = await request.post("/api/v1/jobs", { headers: { authorization: `Bearer ${w.agentToken}` }, data: change });
  expect((await after.json()).job.state).toBe("APPROVAL");

  // A job needing two people does not offer it.
  const pay = await w.submit(jobs.payment(7));
  await page.context().clearCookies();
  await signIn(page, w.people.fin!.email);
  await page.goto(`/jobs/${pay.id}`);
  const payForm = page.getByRole("form", { name: "Your decision" });
  await payForm.getByText("Approve", { exact: true }).click();
  await expect(payForm.getByLabel("Also approve identical requests from this agent for")).toHaveCount(0);
});
