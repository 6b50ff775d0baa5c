/**
 * Hostile input through the real server and a real browser: what an agent (or a reviewer, or a policy
 * author) writes is shown to people as text, never as markup. And the API, served by the production
 * build, answers hostile paths and bodies (including the ones only the real router sees: malformed
 * percent-encoding, next-auth's own routes) with problem+json, never a 5xx or an HTML page.
 */
import http from "node:http";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";
import { JobPage, QueuePage, signIn } from "./support/console";
import { ownToken } from "./support/own-token";
import { makeWorld, PASSWORD, type World } from "./support/world";

const PWN = "window.__pwned=1";
const IMG = `<img src=x onerror="${PWN}">`;
const SCRIPT = `<script>${PWN}</script>`;
const SVG = `<svg onload="${PWN}">`;
const JS_URL = `javascript:${PWN}`;
const IFRAME = `<iframe src="${JS_URL}"></iframe>`;
const ANCHOR = `<a href="${JS_URL}">click me</a>`;
const admin = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

/** Nothing the payloads could have created exists, nothing ran, no dialog opened. */
async function expectInert(page: Page, dialogs: string[]) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("img[onerror], svg[onload], iframe")).toHaveCount(0);
  // No event-handler attribute anywhere, and no URL attribute that runs script (React's own
  // placeholder action on server-action forms, "javascript:throw new Error('React form …')", aside).
  const dangerous = await page.evaluate(() =>
    [...document.querySelectorAll("*")].flatMap((el) =>
      [...el.attributes]
        .filter(
          (a) =>
            /^on/i.test(a.name) ||
            (["href", "src", "action", "formaction", "srcdoc", "xlink:href", "data", "poster"].includes(a.name.toLowerCase()) &&
              /__pwned|^\s*javascript:/i.test(a.value) &&
              !/React form/.test(a.value)),
        )
        .map((a) => `<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`),
    ),
  );
  expect(dangerous).toEqual([]);
  await expect(page.locator("b", { hasText: "team" })).toHaveCount(0);
  // A script element made from the payload would hold exactly its text (Next's own data scripts hold it escaped).
  expect(await page.evaluate((pwn) => [...document.scripts].filter((s) => (s.textContent ?? "").trim() === pwn).length, PWN)).toBe(0);
  expect(dialogs).toEqual([]);
}

function watchDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on("dialog", (d) => {
    seen.push(d.message());
    void d.dismiss();
  });
  return seen;
}

/** A personal API token for someone provisioned by makeWorld (who only has a password). */
async function tokenFor(request: APIRequestContext, w: World, person: string, scopes: string[]): Promise<string> {
  const res = await request.post("/api/v1/admin/tokens", {
    headers: admin,
    data: { tenant: w.tenant, kind: "user", name: `${person}-token`, scopes, user_id: w.people[person]!.id },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const hostilePolicy = () => `version: v1
defaults:
  decision: require_approval
  approvers: { roles: [reviewer], count: 1 }
rules:
  - id: hostile-gate
    match:
      topics: ["job.config.*"]
    decision: require_approval
    reason: ${JSON.stringify(`${IMG} needs a human`)}
    approvers: { roles: [service-owner, oncall], count: 1 }
    summary:
      title: ${JSON.stringify(`${SCRIPT} {{title}}`)}
      next_effect: ${JSON.stringify(`${SVG} runs ${ANCHOR}`)}
`;

test("HTML and script in a job, a policy and a vote are shown as text in the queue, the job page, the history, metrics and audit", async ({ page, request, browser, baseURL }) => {
  test.setTimeout(90_000);
  const w = await makeWorld(request, { ops: ["service-owner"], fay: ["oncall"], boss: ["manager", "admin"] });

  // A policy author's words are shown to reviewers too: reason, summary title and next effect.
  const policyToken = await tokenFor(request, w, "boss", ["policy:read", "policy:write"]);
  const put = await request.put("/api/v1/policy", { headers: { authorization: `Bearer ${policyToken}`, "content-type": "application/yaml" }, data: hostilePolicy() });
  expect(put.status(), await put.text()).toBe(200);

  const titleA = `${IMG} Deploy ${SCRIPT}`;
  const description = `${SCRIPT}\n${IFRAME}\n${ANCHOR}\n${JS_URL}`;
  const a = await w.submit({
    topic: "job.config.update",
    risk_tags: ["prod", "write"],
    title: titleA,
    description,
    payload: { cmd: IMG, url: JS_URL, [SVG]: SCRIPT },
    labels: { "<b>team</b>": IMG, link: JS_URL },
  });
  const titleB = `${SVG} Rotate the signing key`;
  const b = await w.submit({ topic: "job.config.rotate", risk_tags: ["prod"], title: titleB, payload: { key: ANCHOR } });
  // Fay rejects B through the API with markup in her reason and note.
  // Her own token: only she may mint one that approves.
  const fay = await ownToken(baseURL!, { ...w.people.fay!, password: PASSWORD }, { name: "fay-token", scopes: ["approvals:read", "approvals:resolve", "jobs:read"] });
  const rejectReason = `${IMG} not today`;
  const rejectNote = `${SCRIPT}\n${ANCHOR}`;
  const rejected = await request.post(`/api/v1/approvals/${b.id}/reject`, { headers: { authorization: `Bearer ${fay}` }, data: { reason: rejectReason, note: rejectNote } });
  expect(rejected.status(), await rejected.text()).toBe(200);

  const dialogs = watchDialogs(page);
  await signIn(page, w.people.ops!.email);

  // The queue: the agent's title and the policy's summary title, literally.
  const queue = new QueuePage(page);
  await queue.open();
  await expect(queue.row(titleA)).toBeVisible();
  await expect(queue.row(titleA)).toContainText(`${SCRIPT} ${titleA}`);
  await expectInert(page, dialogs);

  // The job page: every field the agent wrote.
  await queue.row(titleA).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(titleA);
  await expect(page.getByText(`${SCRIPT} ${titleA}`, { exact: true })).toBeVisible();
  await expect(page.getByText(`${IMG} needs a human`).first()).toBeVisible();
  await expect(page.getByText(`${SVG} runs ${ANCHOR}`)).toBeVisible();
  const desc = page.getByRole("region", { name: "Description" });
  await expect(desc).toContainText(SCRIPT);
  await expect(desc).toContainText(IFRAME);
  expect(await desc.locator("p").innerText()).toBe(description);
  const payload = page.getByTestId("payload");
  await expect(payload).toContainText(`"cmd": ${JSON.stringify(IMG)}`);
  await expect(payload).toContainText(`${JSON.stringify(SVG)}: ${JSON.stringify(SCRIPT)}`);
  await expect(payload).toContainText(`"url": "${JS_URL}"`);
  await expect(page.getByText(`<b>team</b>=${IMG}`)).toBeVisible();
  await expect(page.getByText(`link=${JS_URL}`)).toBeVisible();
  await expectInert(page, dialogs);

  // Approve A in the browser with markup in the note: it comes back as text in the history.
  const noteA = `${IMG} ${ANCHOR}`;
  await new JobPage(page).decide("Approve", "Rollback plan verified", noteA);
  await expect(page.getByRole("status").filter({ hasText: "You approved this request" })).toBeVisible();
  await expectInert(page, dialogs);

  // B's page: Fay's vote, reason and note as text.
  await page.goto(`/jobs/${b.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(titleB);
  const votes = page.getByRole("list", { name: "Votes so far" });
  await expect(votes).toContainText(`“${rejectReason}”`);
  await expect(votes).toContainText(SCRIPT);
  await expect(votes).toContainText(ANCHOR);
  // The credential the vote came through (her own token), so one credential voting as two people shows.
  await expect(votes.getByTestId("vote-credential")).toHaveText(/^via token:tok-/);
  await expect(page.getByTestId("payload")).toContainText(`"key": ${JSON.stringify(ANCHOR)}`);
  await expectInert(page, dialogs);

  // The history: both, with how they ended and the deciding words.
  await page.getByRole("link", { name: "History" }).click();
  const history = page.getByRole("list", { name: /newest first/ }).getByRole("listitem");
  const rowA = history.filter({ hasText: titleA });
  const rowB = history.filter({ hasText: titleB });
  await expect(rowA).toContainText(`approved by ${w.people.ops!.email}`);
  await expect(rowA).toContainText(noteA);
  await expect(rowB).toContainText(`rejected by ${w.people.fay!.email}`);
  await expect(rowB).toContainText(rejectReason);
  await expectInert(page, dialogs);

  // A manager's views: rejection reasons in metrics, event data in the audit trail.
  const ctx = await browser.newContext();
  const boss = await ctx.newPage();
  const bossDialogs = watchDialogs(boss);
  await signIn(boss, w.people.boss!.email);
  await boss.goto("/metrics");
  await expect(boss.getByRole("region", { name: "Rejection reasons" })).toContainText(rejectReason);
  await expectInert(boss, bossDialogs);
  await boss.goto(`/audit?job_id=${b.id}`);
  await expect(boss.getByRole("cell", { name: "vote.cast" })).toBeVisible();
  await expect(boss.locator("tbody")).toContainText(IMG.replaceAll('"', '\\"'));
  await expectInert(boss, bossDialogs);
  await boss.goto("/policy");
  await expect(boss.getByLabel("Policy YAML")).toHaveValue(hostilePolicy());
  await expectInert(boss, bossDialogs);
  await ctx.close();

  // And the stored job is exactly what the agent sent.
  const stored = await (await request.get(`/api/v1/jobs/${a.id}`, { headers: { authorization: `Bearer ${w.agentToken}` } })).json();
  expect(stored.job).toMatchObject({ title: titleA, description, payload: { cmd: IMG, url: JS_URL, [SVG]: SCRIPT }, labels: { "<b>team</b>": IMG, link: JS_URL } });
});

test("hostile URLs in the console are shown as text and never leave the site", async ({ page, request, baseURL }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const dialogs = watchDialogs(page);

  // After sign-in, a hostile `next` falls back to the queue on this origin.
  for (const next of [JS_URL, "//evil.example/", "/\\evil.example", "https://evil.example/", `/queue"><script>${PWN}</script>`]) {
    await page.context().clearCookies();
    await page.goto(`/signin?next=${encodeURIComponent(next)}&callbackUrl=${encodeURIComponent(JS_URL)}`);
    await page.getByLabel("Email").fill(w.people.ops!.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/queue/);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await expectInert(page, dialogs);
  }

  // Filters from the URL go to the API as data; the refusal is shown in words.
  await page.goto(`/queue?topic=${encodeURIComponent(IMG)}&risk_tag=${encodeURIComponent(SCRIPT)}&rule_id=${encodeURIComponent(SVG)}`);
  await expect(page.getByRole("heading", { name: "Approval queue" })).toBeVisible();
  await expectInert(page, dialogs);
  await page.goto(`/history?topic=${encodeURIComponent(IMG)}&rule_id=${encodeURIComponent(IFRAME)}`);
  await expectInert(page, dialogs);

  // A job id made of markup: a plain "not found", no markup.
  const res = await page.goto(`/jobs/${encodeURIComponent(IMG)}`);
  expect(res?.status() ?? 200).toBeLessThan(500);
  await expectInert(page, dialogs);
  await page.goto(`/jobs/${encodeURIComponent("job-01ARZ3NDEKTSV4RRFFQ69G5FAV'; drop table jobs; --")}`);
  await expectInert(page, dialogs);
  await page.goto(`/audit?job_id=${encodeURIComponent(SCRIPT)}&type=${encodeURIComponent(IMG)}`);
  await expectInert(page, dialogs);
});

// ---------------------------------------------------------------------------------------------------
// The API through the real router. Raw HTTP, so that nothing normalises the path on the way.
// ---------------------------------------------------------------------------------------------------

interface Raw {
  status: number;
  type: string;
  location: string | undefined;
  text: string;
}

function raw(baseURL: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {}): Promise<Raw> {
  const url = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined && !opts.chunked) headers["content-length"] = Buffer.byteLength(opts.body);
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), location: res.headers.location, text: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    // The server may answer (413) and close before it has read an oversize body: the answer still
    // arrives; give it a moment before calling the error a failure.
    let answered = false;
    req.on("response", () => (answered = true));
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE" || err.code === "ECONNRESET") setTimeout(() => answered || reject(err), 3_000);
      else reject(err);
    });
    if (opts.body !== undefined) {
      if (opts.chunked) {
        const body = Buffer.from(opts.body);
        for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      } else {
        req.write(opts.body);
      }
    }
    req.end();
  });
}

function expectProblem(r: Raw, label: string) {
  label = `${label} → ${r.status} ${r.type} ${r.text.slice(0, 200)}`;
  expect(r.status, label).toBeLessThan(500);
  expect(r.type, label).not.toMatch(/html/i);
  if (r.status >= 300) {
    expect(r.type, `${label} → ${r.status} ${r.text.slice(0, 200)}`).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(r.text) as { code?: unknown; status?: unknown };
    expect(body.code, label).toMatch(/^[a-z_]+$/);
    expect(body.status, label).toBe(r.status);
  }
}

test("the real router answers hostile paths and bodies with problem+json, never a 5xx or HTML", async ({ request, baseURL }) => {
  test.setTimeout(60_000);
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const agent = { authorization: `Bearer ${w.agentToken}` };
  const job = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], title: "target", payload: {} });

  const paths = [
    "/api/v1/jobs/%E0%A4%A",
    "/api/v1/jobs/%",
    "/api/v1/jobs/%ZZ",
    "/api/v1/jobs/%C0%AE%C0%AE/claim",
    "/api/v1/jobs/%ED%A0%80",
    "/api/v1/jobs/%00",
    "/api/v1/jobs/a%00b/decisions",
    "/api/v1/jobs/..%2F..%2Fadmin%2Ftenants",
    "/api/v1/jobs/%2e%2e/admin/tenants",
    `/api/v1/jobs/${"x".repeat(10_000)}`,
    "/api/v1/jobs/%27%3B%20drop%20table%20jobs%3B%20--",
    "/api/v1/jobs/%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
    `/api/v1/jobs/${job.id}%00`,
    `/api/v1/jobs/${job.id}/decisions?x=%E0%A4%A`,
    "/api/v1/approvals?limit=%E0%A4%A",
    "/api/v1/approvals?limit=1&limit=2",
    `/api/v1/approvals?cursor=${"A".repeat(12_000)}`,
    "/api/v1/audit?since=%00",
    "/api/v1/no/such/route",
  ];
  for (const p of paths) {
    for (const method of ["GET", "POST", "DELETE"]) {
      const r = await raw(baseURL!, method, p, { headers: { ...agent, "content-type": "application/json" }, body: method === "GET" ? undefined : '{"reason":"x"}' });
      expectProblem(r, `${method} ${p.slice(0, 120)}`);
      // A path (not a query) that does not percent-decode names nothing: 400 invalid_path.
      const pathname = p.split("?")[0]!;
      if (/%E0%A4%A$|\/%$|%ZZ|%ED%A0%80|%C0%AE/.test(pathname)) expect(r.status, `${method} ${p}`).toBe(400);
    }
  }

  // Past Node's 16 KiB header limit the HTTP server itself answers 431 before the app sees anything.
  const tooLong = await raw(baseURL!, "GET", `/api/v1/approvals?cursor=${"A".repeat(20_000)}`, { headers: agent });
  expect(tooLong.status).toBe(431);

  const post = (body: string | Buffer, headers: Record<string, string> = { "content-type": "application/json" }, chunked = false) =>
    raw(baseURL!, "POST", "/api/v1/jobs", { headers: { ...agent, ...headers }, body, chunked });
  const cases: [string, Promise<Raw>, number][] = [
    ["oversize with content-length", post(`{"topic":"job.repo.read","payload":{"x":"${"x".repeat(300_000)}"}}`), 413],
    ["oversize, chunked", post(`{"topic":"job.repo.read","payload":{"x":"${"x".repeat(300_000)}"}}`, { "content-type": "application/json" }, true), 413],
    ["10k nested arrays", post("[".repeat(10_000) + "]".repeat(10_000)), 400],
    ["10k nested payload", post(`{"topic":"job.repo.read","payload":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`), 400],
    ["truncated JSON", post('{"topic":"job.repo.read","payload":{'), 400],
    ["invalid UTF-8", post(Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400],
    ["NUL escape", post('{"topic":"job.repo.read","payload":{},"title":"a\\u0000b"}'), 400],
    ["lone surrogate", post('{"topic":"job.repo.read","payload":{"\\ud800":1}}'), 400],
    ["HTML content type", post('{"topic":"job.repo.read","payload":{}}', { "content-type": "text/html" }), 415],
    ["mass assignment", post('{"topic":"job.config.update","risk_tags":["prod","write"],"payload":{},"state":"APPROVED","tenant":"system"}'), 400],
    ["Cyrillic topic", post('{"topic":"j\\u043eb.prod.deploy","payload":{}}'), 400],
  ];
  for (const [label, pending, status] of cases) {
    const r = await pending;
    expectProblem(r, label);
    expect(r.status, `${label}: ${r.text.slice(0, 200)}`).toBe(status);
  }
  // None of it was stored: the agent's only job is still the one it submitted.
  const mine = await (await request.get(`/api/v1/jobs/${job.id}`, { headers: agent })).json();
  expect(mine.job.state).toBe("APPROVAL");
  const queueToken = await tokenFor(request, w, "ops", ["approvals:read"]);
  const queue = await (await request.get("/api/v1/approvals?include_resolved=true&limit=200", { headers: { authorization: `Bearer ${queueToken}` } })).json();
  expect(queue.items.map((i: { job: { id: string } }) => i.job.id)).toEqual([job.id]);
});

test("API paths outside /api/v1 (unknown, or reached through dot segments) answer problem+json 404, not the HTML page", async ({ request, baseURL }) => {
  const w = await makeWorld(request, { ops: ["service-owner"] });
  const agent = { authorization: `Bearer ${w.agentToken}` };
  for (const p of ["/api/v1/jobs/%2e%2e/%2e%2e/admin/tenants", "/api/v1/%2e%2e/admin/tokens", "/api/no-such-route", `/api/${encodeURIComponent(SCRIPT)}`, "/api/v2/jobs"]) {
    const r = await raw(baseURL!, "GET", p, { headers: agent });
    expectProblem(r, `GET ${p}`);
    expect(r.status, p).toBe(404);
  }
});

test("next-auth's own routes survive hostile input and never redirect off-site or to javascript:", async ({ baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const formHeaders = { "content-type": "application/x-www-form-urlencoded", origin };
  const probes: [string, string, { headers?: Record<string, string>; body?: string }?][] = [
    ["GET", `/api/auth/session?x=${encodeURIComponent(SCRIPT)}`],
    ["GET", "/api/auth/providers"],
    ["GET", "/api/auth/csrf"],
    ["GET", `/api/auth/signin?callbackUrl=${encodeURIComponent(JS_URL)}`],
    ["GET", `/api/auth/signin?callbackUrl=${encodeURIComponent("https://evil.example/")}`],
    ["GET", `/api/auth/signout?callbackUrl=${encodeURIComponent("//evil.example")}`],
    ["GET", `/api/auth/error?error=${encodeURIComponent(IMG)}`],
    ["GET", "/api/auth/no-such-action"],
    ["GET", "/api/auth/%E0%A4%A"],
    ["GET", `/api/auth/${"x".repeat(10_000)}`],
    ["POST", "/api/auth/callback/credentials", { headers: formHeaders, body: form({ email: IMG, password: SCRIPT, csrfToken: "junk", callbackUrl: JS_URL }) }],
    ["POST", "/api/auth/callback/credentials", { headers: formHeaders, body: form({ email: "a@b.example", password: "x".repeat(100_000), csrfToken: "'; drop table users; --" }) }],
    ["POST", "/api/auth/callback/credentials", { headers: { "content-type": "application/json", origin }, body: '{"email":{"$ne":null},"password":{"$gt":""}}' }],
    ["POST", "/api/auth/callback/credentials", { headers: formHeaders, body: "email=%E0%A4%A&password=%" }],
    ["POST", "/api/auth/callback/no-such-provider", { headers: formHeaders, body: form({ callbackUrl: JS_URL }) }],
    ["POST", "/api/auth/signout", { headers: formHeaders, body: form({ csrfToken: SCRIPT, callbackUrl: "https://evil.example/" }) }],
    ["POST", "/api/auth/session", { headers: { "content-type": "application/json", origin }, body: "[".repeat(10_000) }],
  ];
  for (const [method, p, opts] of probes) {
    const r = await raw(baseURL!, method, p, opts);
    const label = `${method} ${p.slice(0, 100)} → ${r.status} ${r.location ?? ""} ${r.text.slice(0, 160)}`;
    expect(r.status, label).toBeLessThan(500);
    if (r.location) {
      expect(r.location, label).not.toMatch(/^\s*javascript:/i);
      // This server, by whichever loopback name it knows itself (AUTH_URL may say localhost).
      const target = new URL(r.location, origin);
      expect(target.port, label).toBe(new URL(origin).port);
      expect(["localhost", "127.0.0.1"], label).toContain(target.hostname);
    }
    // A JSON answer never carries the payload back as markup a browser would run.
    expect(r.text, label).not.toContain(SCRIPT);
  }
});
