import { expectNoSeriousA11yViolations } from "./support/axe";
import { expect, test, type Page } from "@playwright/test";
import { JobPage, QueuePage, signIn } from "./support/console";
import { jobs, makeWorld } from "./support/world";

const agent = (token: string) => ({ authorization: `Bearer ${token}` });

/** The server gone, as the page sees it: the browser goes offline and every request to it fails. */
async function serverGone(page: Page, gone: boolean) {
  if (gone) {
    await page.route("**/api/**", (route) => route.abort("internetdisconnected"));
    await page.context().setOffline(true);
  } else {
    await page.unroute("**/api/**");
    await page.context().setOffline(false);
  }
}

test("with the server gone, the job page keeps what it showed and a vote says it was not recorded", async ({ page, request }) => {
  const w = await makeWorld(request, { fay: ["finance"] });
  const job = await w.submit(jobs.payment(3));
  await signIn(page, w.people.fay!.email);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("payload")).toContainText('"order": 3');
  await page.waitForTimeout(1_500);
  await serverGone(page, true);
  await expect(page.getByRole("alert").filter({ hasText: "Connection lost, retrying" })).toBeVisible();
  await new JobPage(page).decide("Approve", "Amount matches the invoice", "half-written note");
  await expect(page.getByRole("alert").filter({ hasText: "Your vote was not recorded" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sending…" })).toHaveCount(0);
  // Evidence and the half-filled form are still there.
  await expect(page.getByTestId("payload")).toContainText('"order": 3');
  await expect(page.getByLabel(/^Note/)).toHaveValue("half-written note");
  await serverGone(page, false);
  await expect(page.getByRole("alert").filter({ hasText: "Connection lost" })).toHaveCount(0);
  const d = await (await request.get(`/api/v1/jobs/${job.id}/decisions`, { headers: agent(w.agentToken) })).json();
  expect(d.votes).toEqual([]);
});

test("with the server gone, the queue keeps its rows and its timers stop, marked stale", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const job = await w.submit(jobs.config("offline"));
  await signIn(page, w.people.ops!.email);
  const queue = new QueuePage(page);
  await queue.open();
  // Let the page's own first requests (counts, the live stream) answer first: a late answer from
  // a server that is there rightly says the connection is fine.
  await expect(page.getByTestId("queue-counts")).toBeVisible();
  await page.waitForTimeout(1_500);
  await serverGone(page, true);
  await expect(page.getByRole("alert").filter({ hasText: "Connection lost, retrying" })).toBeVisible();
  const sla = queue.row(job.title).getByText(/^due in/);
  await expect(queue.row(job.title).getByTestId("sla-stale")).toBeVisible();
  const frozen = await sla.textContent();
  await page.waitForTimeout(2_100);
  await expect(sla).toHaveText(frozen!);
  await serverGone(page, false);
  await expect(queue.row(job.title).getByTestId("sla-stale")).toHaveCount(0);
});

test("the decision summary follows the state: approved, then run and succeeded, with the execution", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const job = await w.submit(jobs.config("runner"));
  await signIn(page, w.people.ops!.email);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("next-effect")).toContainText("Next effect:");
  await new JobPage(page).decide("Approve", "Rollback plan verified");
  await expect(page.getByRole("status").filter({ hasText: "You approved this request" })).toContainText("It is now approved");
  await expect(page.getByTestId("next-effect")).toHaveText(/^Outcome: Approved by .*not started yet/);
  const claimed = await request.post(`/api/v1/jobs/${job.id}/claim`, { headers: agent(w.agentToken), data: { job_hash: job.job_hash } });
  expect(claimed.status()).toBe(200);
  const done = await request.post(`/api/v1/jobs/${job.id}/complete`, { headers: agent(w.agentToken), data: { outcome: "succeeded", detail: "timeout raised to 30s" } });
  expect(done.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("job-state")).toHaveText(/succeeded/i);
  await expect(page.getByTestId("next-effect")).toContainText("it ran and succeeded");
  await expect(page.getByText("It is now approved")).toHaveCount(0);
  await expect(page.getByText(/Next effect/)).toHaveCount(0);
  const exec = page.getByRole("region", { name: "Execution" });
  await expect(exec).toContainText("Claimed by agent:deploy-bot");
  await expect(exec).toContainText("succeeded — timeout raised to 30s");
});

test("rejected and expired-looking states never promise a next effect", async ({ page, request }) => {
  const w = await makeWorld(request, { fay: ["finance"] });
  const job = await w.submit(jobs.payment(8));
  await signIn(page, w.people.fay!.email);
  await page.goto(`/jobs/${job.id}`);
  // Reload only once the vote is answered: a reload while it is in flight can cancel it.
  const voted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/approvals/${job.id}/reject`) && r.request().method() === "POST");
  await new JobPage(page).decide("Reject", "Wrong target or amount");
  expect((await voted).status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("next-effect")).toHaveText(/^Outcome: Rejected by .*It will not run\./);
});

test("evidence: from → to, deadline and escalation as text, real titles on the topic; own requests say which", async ({ page, request }) => {
  const w = await makeWorld(request, { owner: ["service-owner"], ops: ["service-owner"] });
  const earlier = await w.submit({ ...jobs.config("billing"), title: "Raise billing timeout to 20" });
  const job = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], title: "Raise billing timeout", payload: { service: "billing", key: "timeout", from: 10, to: 30 } });
  await signIn(page, w.people.ops!.email);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole("list", { name: "Proposed changes" })).toHaveText("timeout: 10 → 30");
  await expect(page.getByTestId("deadline")).toContainText(/^Due .*, then escalates to eng-manager\. Expires .* if still undecided\.$/);
  await expect(page.getByRole("region", { name: /Recent requests/ }).getByRole("link", { name: earlier.title })).toBeVisible();

  await page.context().clearCookies();
  await signIn(page, w.people.owner!.email);
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId("cannot-act")).toContainText("made by deploy-bot, an agent you answer for");
});

test("the history says what it sorts by and shows it", async ({ page, request }) => {
  const w = await makeWorld(request, { fay: ["finance"] });
  const job = await w.submit(jobs.payment(21));
  await signIn(page, w.people.fay!.email);
  await page.goto(`/jobs/${job.id}`);
  await new JobPage(page).decide("Reject", "Policy violation");
  await expect(page.getByRole("status").filter({ hasText: "You rejected" })).toBeVisible();
  await page.goto("/history");
  await expect(page.getByText(/newest request first \(by when it was asked\)/)).toBeVisible();
  await expect(page.getByRole("list", { name: /newest first/ }).getByRole("listitem").filter({ hasText: job.title })).toContainText("asked ");
});

test("phone: two-line titles and the badge, a sticky decision bar, no keyboard hints, no sideways scroll", async ({ browser, request }) => {
  const w = await makeWorld(request, { fay: ["finance"] });
  const job = await w.submit({ ...jobs.payment(4), title: "Refund order 4 to the customer who was charged twice for the annual plan renewal" });
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await signIn(page, w.people.fay!.email);
  const queue = new QueuePage(page);
  const row = queue.row(job.title);
  await expect(row.getByText("you can act")).toBeVisible();
  const box = await row.getByRole("link").boundingBox();
  expect(box!.height).toBeGreaterThan(30); // two lines
  await expect(page.getByText(/Keys: j\/k/)).toBeHidden();
  for (const path of ["/queue", "/history"]) {
    await page.goto(path);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  }
  await page.goto(`/jobs/${job.id}`);
  const bar = page.getByRole("group", { name: "Decide" });
  await expect(bar).toBeInViewport();
  await page.mouse.wheel(0, 2000);
  await expect(bar).toBeInViewport();
  await bar.getByRole("button", { name: "Reject…" }).click();
  await expect(page.getByRole("form", { name: "Your decision" }).getByRole("radio", { name: "Reject" })).toBeChecked();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await ctx.close();
});

test("axe: no serious or critical violations on queue, job, history, audit and metrics", async ({ page, request }) => {
  // Five full axe runs: slow on a loaded machine.
  test.slow();
  const w = await makeWorld(request, { boss: ["manager", "finance"] });
  const job = await w.submit(jobs.payment(12));
  await signIn(page, w.people.boss!.email);
  await expect(new QueuePage(page).row(job.title)).toBeVisible();
  await expectNoSeriousA11yViolations(page, { what: "queue" });
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page, { what: "job" });
  await page.goto("/history");
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, { what: "history" });
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, { what: "audit" });
  await page.goto("/metrics");
  await expect(page.getByRole("heading", { name: "Metrics", level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page, { what: "metrics" });
});
