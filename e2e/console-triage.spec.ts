import { expect, test } from "@playwright/test";
import { QueuePage, signIn } from "./support/console";
import { jobs, makeWorld } from "./support/world";

const agent = (token: string) => ({ authorization: `Bearer ${token}` });

test("the agent's title leads; rows show why and next effect with the full text on hover", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const job = await w.submit(jobs.config("billing-api"));
  await signIn(page, w.people.ops!.email);
  const queue = new QueuePage(page);
  await queue.open();
  const row = queue.row(job.title);
  await expect(row.getByRole("link")).toHaveText(job.title);
  await expect(row).toContainText(job.summary);
  // Each line truncates; its full text is in the title (hover) and in the accessible text.
  await expect(row.locator("span[title]", { hasText: "Why:" })).toHaveAttribute("title", /\S/);
  await expect(row.locator("span[title]", { hasText: "Next:" })).toHaveAttribute("title", /\S/);
  await row.getByRole("link").click();
  await expect(page).toHaveTitle(new RegExp(job.title));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(job.title);
});

test("reviewers land on what they can act on, with counts; the choice is remembered in the nav link", async ({ page, request }) => {
  const w = await makeWorld(request, { fay: ["finance"] });
  const payment = await w.submit(jobs.payment(1));
  const config = await w.submit(jobs.config("search"));
  await signIn(page, w.people.fay!.email);
  await expect(page).toHaveURL(/\/queue\?actionable=true/);
  const queue = new QueuePage(page);
  await expect(queue.row(payment.title)).toBeVisible();
  await expect(queue.row(config.title)).toHaveCount(0);
  await expect(page.getByTestId("queue-counts")).toHaveText("1 for you · 2 in queue.");
  await page.getByLabel("Only what I can act on").uncheck();
  await expect(page).toHaveURL(/actionable=false/);
  await expect(queue.row(config.title)).toBeVisible();
  await expect(page.getByRole("link", { name: "Queue" })).toHaveAttribute("href", /actionable=false/);
  await page.goto("/history");
  await page.getByRole("link", { name: "Queue" }).click();
  await expect(page).toHaveURL(/actionable=false/);
  await page.goto("/queue");
  await expect(page).toHaveURL(/actionable=false/);
});

test("a first vote of two does not say the job left the queue", async ({ page, request }) => {
  const w = await makeWorld(request, { fay: ["finance"], finn: ["finance"] });
  const job = await w.submit(jobs.payment(5));
  await signIn(page, w.people.fay!.email);
  const queue = new QueuePage(page);
  await queue.open();
  await queue.row(job.title).click();
  await page.keyboard.press("a");
  await page.keyboard.press("3");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "1 approval counted" })).toContainText("still pending");
  await expect(queue.row(job.title)).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "no longer needs you" })).toContainText("1 no longer needs you (still pending)");
  await expect(page.getByText("left the queue")).toHaveCount(0);
});

test("the reason picker: Esc cancels, nothing is pre-selected, a reason is required", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const job = await w.submit(jobs.config("picker"));
  await signIn(page, w.people.ops!.email);
  const queue = new QueuePage(page);
  await queue.open();
  await page.keyboard.press("r");
  const picker = page.getByRole("dialog", { name: `Reject “${job.title}”` });
  await expect(picker.getByRole("radio", { checked: true })).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(picker.getByRole("alert")).toHaveText("Pick a reason first.");
  await page.keyboard.press("Escape");
  await expect(picker).toHaveCount(0);
  await expect(queue.row(job.title)).toBeVisible();
});

test("batch: select with x, checkboxes and shift-click; one reason; counted and refused listed", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const a = await w.submit(jobs.config("a-svc"));
  const b = await w.submit(jobs.config("b-svc"));
  const c = await w.submit(jobs.config("c-svc"));
  const pay = await w.submit(jobs.payment(9)); // needs finance: ops is refused
  await signIn(page, w.people.ops!.email);
  const queue = new QueuePage(page);
  await queue.open("?actionable=false");
  await expect(queue.rows()).toHaveCount(4);
  await page.keyboard.press("x"); // the first (selected) row
  const ids = await queue.ids();
  const title = (id: string) => [a, b, c, pay].find((j) => j.id === id)!.title;
  await queue.row(title(ids[3]!)).getByRole("checkbox").click({ modifiers: ["Shift"] });
  const bar = page.getByRole("group", { name: "Batch decision" });
  await expect(bar).toContainText("4 selected");
  await bar.getByRole("button", { name: "Approve selected…" }).click();
  const picker = page.getByRole("dialog", { name: "Approve 4 requests" });
  await picker.getByRole("radio", { name: /Low risk, expected change/ }).check();
  await picker.getByRole("button", { name: "Confirm approve" }).click();
  const result = page.getByRole("status").filter({ hasText: "3 approvals counted, 1 refused" });
  await expect(result).toBeVisible();
  await expect(result).toContainText(`Refused: ${pay.title} — You do not hold a role this request needs`);
  for (const j of [a, b, c]) await expect(result).toContainText(`Counted: ${j.title} — now approved`);
  // Each vote is its own, audited alone.
  for (const j of [a, b, c]) {
    const d = await (await request.get(`/api/v1/jobs/${j.id}/decisions`, { headers: agent(w.agentToken) })).json();
    expect(d.votes).toEqual([expect.objectContaining({ voter: w.people.ops!.email, reason: "Low risk, expected change" })]);
  }
});

test("job page keys: j/k move through the list, Esc goes back, ? shows the keys", async ({ page, request }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const first = await w.submit(jobs.config("one"));
  const second = await w.submit(jobs.config("two"));
  await signIn(page, w.people.ops!.email);
  const queue = new QueuePage(page);
  await queue.open();
  await queue.row(first.title).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(first.title);
  await page.keyboard.press("j");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(second.title);
  await page.keyboard.press("k");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(first.title);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/\/queue\?actionable=true/);
});

test("an unknown job id has a not-found page; back returns to the list it came from", async ({ page, request }) => {
  const w = await makeWorld(request, { fay: ["finance"] });
  const job = await w.submit(jobs.payment(77));
  await signIn(page, w.people.fay!.email);
  await page.goto("/jobs/job-01JZZZZZZZZZZZZZZZZZZZZZZZ");
  await expect(page.getByRole("heading", { name: "Request not found" })).toBeVisible();
  await page.getByRole("link", { name: "← Back to the queue" }).click();
  await expect(page).toHaveURL(/\/queue/);

  const fayToken = await request.post(`/api/v1/approvals/${job.id}/reject`, { headers: agent(w.agentToken), data: { reason: "x" } });
  expect(fayToken.status()).toBe(403); // agents cannot decide: reject it in the browser instead
  await page.goto(`/jobs/${job.id}`);
  const form = page.getByRole("form", { name: "Your decision" });
  await form.getByText("Reject", { exact: true }).click();
  await form.getByLabel(/^Reason/).selectOption("Policy violation");
  await form.getByRole("button", { name: "Reject this request" }).click();
  await expect(page.getByRole("status").filter({ hasText: "You rejected" })).toBeVisible();
  await page.getByRole("link", { name: "History" }).click();
  await page.getByRole("list", { name: /newest first/ }).getByRole("link", { name: job.title }).click();
  await page.getByRole("link", { name: "← History" }).click();
  await expect(page).toHaveURL(/\/history/);
});
