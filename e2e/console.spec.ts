import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { E2E_AUTH_SECRET } from "../playwright.config";
import { JobPage, QueuePage, signIn } from "./support/console";
import { jobs, makeWorld, PASSWORD } from "./support/world";

test("sign in, see who you are, sign out; a wrong password is refused in words", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  await page.goto("/queue");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email").fill(w.people.ops!.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();

  await signIn(page, w.people.ops!.email);
  await expect(page.getByRole("banner")).toContainText(w.people.ops!.email);
  // A copy of the session cookie taken before signing out (as malware or a shared machine would keep it).
  const session = (await page.context().cookies()).find((c) => c.name === "authjs.session-token")!;
  const captured = { cookie: `${session.name}=${session.value}` };
  expect((await request.get("/api/v1/approvals", { headers: captured })).status()).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("status")).toContainText("You are signed out");
  await page.goto("/queue");
  await expect(page).toHaveURL(/\/signin/);
  // Signing out ended the session on the server: the copy is worth nothing now.
  expect((await request.get("/api/v1/approvals", { headers: captured })).status()).toBe(401);
});

test("the queue shows seeded work most urgent first, with progress and SLA", async ({ page, request }) => {
  const w = await makeWorld(request, { lead: ["finance", "service-owner", "security"] });
  const payment = await w.submit(jobs.payment(1)); // 60 min SLA
  const config = await w.submit(jobs.config("billing")); // 30 min SLA: due first although newer
  const access = await w.submit(jobs.access("mallory")); // 60 min default, newer than the payment
  await signIn(page, w.people.lead!.email);
  const queue = new QueuePage(page);
  await queue.open();
  await expect(queue.rows()).toHaveCount(3);
  expect(await queue.ids()).toEqual([config.id, payment.id, access.id]);
  const row = queue.row(payment.title);
  await expect(row).toContainText("finance 0/2");
  await expect(row).toContainText(/due in \d+m/);
  await expect(row).toContainText("agent:deploy-bot");
});

test("approve with a reason", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const job = await w.submit(jobs.config("search"));
  await signIn(page, w.people.ops!.email);
  const queue = new QueuePage(page);
  await queue.open();
  await queue.row(job.title).getByRole("link").click();
  // The agent's own title is the headline; the rule's summary is under it.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(job.title);
  await expect(page.getByText(job.summary, { exact: true })).toBeVisible();
  await expect(page.getByTestId("payload")).toContainText('"service": "search"');
  await new JobPage(page).decide("Approve", "Rollback plan verified", "checked runbook");
  await expect(page.getByRole("status").filter({ hasText: "You approved this request" })).toContainText("now approved");

  const decisions = await (await request.get(`/api/v1/jobs/${job.id}/decisions`, { headers: { authorization: `Bearer ${w.agentToken}` } })).json();
  expect(decisions.resolution).toBe("approved");
  expect(decisions.votes[0]).toMatchObject({ voter: w.people.ops!.email, vote: "approve", reason: "Rollback plan verified", note: "checked runbook" });
  await queue.open();
  await expect(queue.row(job.title)).toHaveCount(0);
});

test("reject with a reason", async ({ page, request }) => {
  const w = await makeWorld(request, { fay: ["finance"] });
  const job = await w.submit(jobs.payment(7));
  await signIn(page, w.people.fay!.email);
  await page.goto(`/jobs/${job.id}`);
  await new JobPage(page).decide("Reject", "Missing rollback plan");
  await expect(page.getByRole("status").filter({ hasText: "You rejected this request" })).toContainText("now rejected");
  await expect(new JobPage(page).state()).toHaveText(/rejected/i);
  const item = await (await request.get(`/api/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${w.agentToken}` } })).json();
  expect(item).toMatchObject({ resolution: "rejected", resolved_by: w.people.fay!.email, resolved_comment: "Missing rollback plan" });

  // The history shows how it ended, who decided, why, and how long it took.
  await page.getByRole("link", { name: "History" }).click();
  const row = page.getByRole("list", { name: /newest first/ }).getByRole("listitem").filter({ hasText: job.title });
  await expect(row).toContainText(`rejected by ${w.people.fay!.email}`);
  await expect(row).toContainText("Missing rollback plan");
  await expect(row).toContainText(/decided in \d+/);
});

test("two finance people in two browsers complete a dual approval", async ({ browser, request }) => {
  const w = await makeWorld(request, { fay: ["finance"], finn: ["finance"] });
  const job = await w.submit(jobs.payment(42));
  const [fay, finn] = await Promise.all([browser.newContext(), browser.newContext()]);
  const fayPage = await fay.newPage();
  const finnPage = await finn.newPage();
  await signIn(fayPage, w.people.fay!.email);
  await signIn(finnPage, w.people.finn!.email);
  await finnPage.goto(`/jobs/${job.id}`);
  await expect(finnPage.getByRole("region", { name: "Approvals" })).toContainText("0/2");

  await fayPage.goto(`/jobs/${job.id}`);
  await new JobPage(fayPage).decide("Approve", "Amount matches the invoice");
  await expect(fayPage.getByRole("status").filter({ hasText: "Your approval is recorded" })).toContainText("still needs");

  // Finn's open page hears about Fay's vote without a reload.
  await expect(finnPage.getByRole("region", { name: "Approvals" })).toContainText(`by ${w.people.fay!.email}`);
  await new JobPage(finnPage).decide("Approve", "Amount matches the invoice");
  await expect(finnPage.getByRole("status").filter({ hasText: "You approved this request" })).toContainText("now approved");
  const item = await (await request.get(`/api/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${w.agentToken}` } })).json();
  expect(item).toMatchObject({ job: { state: "APPROVED" }, resolution: "approved", resolved_by: w.people.finn!.email });
  await Promise.all([fay.close(), finn.close()]);
});

test("the owner of the requesting agent sees why they cannot approve", async ({ page, request }) => {
  const w = await makeWorld(request, { owner: ["service-owner"] });
  const job = await w.submit(jobs.config("payments-api"));
  await signIn(page, w.people.owner!.email);
  const queue = new QueuePage(page);
  await queue.open("?actionable=false");
  await expect(queue.row(job.title)).not.toContainText("you can act");
  await queue.row(job.title).getByRole("link").click();
  const box = page.getByTestId("cannot-act");
  await expect(box).toContainText("You cannot decide this request");
  await expect(box).toContainText("an agent you answer for");
  await expect(page.getByRole("form", { name: "Your decision" })).toHaveCount(0);
});

test("a vote on a request that changed is refused and explained", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const job = await w.submit(jobs.config("ledger"));
  await signIn(page, w.people.ops!.email);
  await page.goto(`/jobs/${job.id}`);
  // The server holds a different job than the one on screen: simulate it by changing the hash sent.
  await page.route(`**/api/v1/approvals/${job.id}/approve`, async (route) => {
    const body = route.request().postDataJSON();
    await route.continue({ postData: JSON.stringify({ ...body, job_hash: "0".repeat(64) }) });
  });
  await new JobPage(page).decide("Approve", "Rollback plan verified");
  await expect(page.getByRole("alert").filter({ hasText: "The request changed since you opened it" })).toBeVisible();
  const item = await (await request.get(`/api/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${w.agentToken}` } })).json();
  expect(item.job.state).toBe("APPROVAL");
});

test("a job submitted through the API appears live in an open queue", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  await signIn(page, w.people.ops!.email);
  const queue = new QueuePage(page);
  await queue.open();
  await expect(page.getByText("Nothing is waiting")).toBeVisible();
  const job = await w.submit(jobs.config("live"));
  await expect(queue.row(job.title)).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "new request" })).toContainText("1 new request arrived");
  // Decided elsewhere (through the API as another reviewer would): it leaves the open queue.
  const other = await request.post(`/api/v1/admin/users`, {
    headers: { authorization: "Bearer e2e-installation-admin-token-0123456789" },
    data: { tenant: w.tenant, email: `oncall@${w.tenant}.example`, roles: ["oncall"], password: PASSWORD },
  });
  expect(other.status()).toBe(201);
  const ctx2 = await page.context().browser()!.newContext();
  const page2 = await ctx2.newPage();
  await signIn(page2, `oncall@${w.tenant}.example`);
  await page2.goto(`/jobs/${job.id}`);
  await new JobPage(page2).decide("Approve", "Low risk, expected change");
  await expect(page2.getByRole("status").filter({ hasText: "You approved" })).toBeVisible();
  await expect(queue.row(job.title)).toHaveCount(0);
  await ctx2.close();
});

test("keyboard triage approves a job without the mouse", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const first = await w.submit(jobs.config("alpha")); // due first
  const second = await w.submit(jobs.config("beta"));
  await signIn(page, w.people.ops!.email);
  const queue = new QueuePage(page);
  await queue.open();
  await page.keyboard.press("j");
  await expect(queue.row(second.title)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("k");
  await expect(queue.row(first.title)).toHaveAttribute("aria-current", "true");
  // a: a compact reason picker; a digit picks a preset, Enter confirms, the selection moves on.
  await page.keyboard.press("a");
  const picker = page.getByRole("dialog", { name: `Approve “${first.title}”` });
  await expect(picker).toBeVisible();
  await page.keyboard.press("2");
  await expect(picker.getByRole("radio", { name: /Rollback plan verified/ })).toBeChecked();
  await page.keyboard.press("Enter");
  await expect(picker).toHaveCount(0);
  await expect(queue.row(first.title)).toHaveCount(0);
  await expect(queue.row(second.title)).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("status").filter({ hasText: "1 approval counted" })).toContainText(`Counted: ${first.title} — now approved`);
  // On the job page: r chooses Reject and puts the focus on the reason.
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/jobs/${second.id}`));
  const form = page.getByRole("form", { name: "Your decision" });
  await expect(form.getByRole("radio", { name: "Approve" })).not.toBeChecked();
  await page.keyboard.press("r");
  await expect(form.getByRole("radio", { name: "Reject" })).toBeChecked();
  const reason = page.getByLabel(/^Reason/);
  await expect(reason).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(reason).not.toHaveValue("");
  await page.keyboard.press("Tab"); // note
  await page.keyboard.press("Tab"); // submit
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "You rejected this request" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the queue" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Nothing is waiting")).toBeVisible();
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
});

test("filters live in the URL and survive a reload", async ({ page, request }) => {
  const w = await makeWorld(request, { lead: ["finance", "service-owner"] });
  const payment = await w.submit(jobs.payment(3));
  const config = await w.submit(jobs.config("cache"));
  await signIn(page, w.people.lead!.email);
  const queue = new QueuePage(page);
  await queue.open();
  await expect(queue.rows()).toHaveCount(2);
  await page.keyboard.press("/");
  await expect(page.getByLabel("Topic")).toBeFocused();
  await page.getByLabel("Risk tag").fill("payment");
  await page.getByLabel("Risk tag").press("Enter");
  await expect(page).toHaveURL(/risk_tag=payment/);
  await expect(queue.rows()).toHaveCount(1);
  await page.getByLabel("Only what I can act on").check();
  await expect(page).toHaveURL(/actionable=true/);
  await page.reload();
  await expect(page.getByLabel("Risk tag")).toHaveValue("payment");
  await expect(page.getByLabel("Only what I can act on")).toBeChecked();
  await expect(queue.row(payment.title)).toBeVisible();
  await expect(queue.row(config.title)).toHaveCount(0);
});

test("first run: the printed setup link creates the first admin once", async ({ page }) => {
  const code = crypto.createHmac("sha256", E2E_AUTH_SECRET).update("countersign:first-admin").digest("base64url").slice(0, 32);
  await page.goto(`/setup?code=${code}`);
  await page.getByLabel("Your email").fill("first-admin@example.com");
  await page.getByLabel(/^Password/).fill("first-admin-password");
  await page.getByRole("button", { name: "Create the first admin" }).click();
  await expect(page).toHaveURL(/\/queue/);
  await expect(page.getByRole("banner")).toContainText("first-admin@example.com");
  await page.goto(`/setup?code=${code}`);
  await expect(page.getByText("Setup is done")).toBeVisible();
});

test("the audit trail: filter by job, verify the chain; a reviewer is told it is not for them", async ({ page, request, browser }) => {
  const w = await makeWorld(request, { boss: ["manager"], fay: ["finance"] });
  const job = await w.submit(jobs.payment(11));
  await signIn(page, w.people.boss!.email);
  await page.getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  await page.getByLabel("Job", { exact: true }).fill(job.id);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`job_id=${job.id}`));
  await expect(page.getByRole("cell", { name: "job.submitted" })).toBeVisible();
  await page.getByRole("button", { name: "Verify the chain" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Chain intact" })).toBeVisible();

  const other = await browser.newContext();
  const reviewer = await other.newPage();
  await signIn(reviewer, w.people.fay!.email);
  await expect(reviewer.getByRole("link", { name: "Audit" })).toHaveCount(0);
  await reviewer.goto("/audit");
  await expect(reviewer.getByRole("alert").filter({ hasText: "for admins, managers and security" })).toBeVisible();
  await other.close();
});

test("policy: an admin sees errors with line and column before anything changes, activates, and compares versions", async ({ page, request }) => {
  const w = await makeWorld(request, { root: ["admin"] });
  await signIn(page, w.people.root!.email);
  await page.getByRole("link", { name: "Policy" }).click();
  const editor = page.getByLabel("Policy YAML");
  const original = await editor.inputValue();
  expect(original).toContain("prod-write-gate");

  await editor.fill(original.replace("decision: allow\n", "decision: allwo\n"));
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("policy-errors")).toContainText(/line \d+, column \d+/);
  await expect(page.getByTestId("policy-errors")).toContainText("The active policy is unchanged");

  await editor.fill(original.replace("sla: 30m", "sla: 20m"));
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await page.getByRole("dialog", { name: "Activate this policy?" }).getByRole("button", { name: /^Activate and re-decide/ }).click();
  await expect(page.getByText("Activated. This is now the active policy.")).toBeVisible();

  const compare = page.getByRole("region", { name: "Compare versions" });
  await expect(compare).toContainText("1 line added, 1 removed");
  await expect(compare).toContainText("+     sla: 20m");
  await expect(compare).toContainText("-     sla: 30m");
});
