import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { signalGroup, startOwnServer, type OwnServer } from "./support/server";

// A fresh install and a fresh demo, each on a server of its own (port E2E_PORT + 50) and a scratch
// PostgreSQL database: what a first-time reader sees, and that the README's Try-it block keeps its word.

const ROOT = path.resolve(__dirname, "..");
// (+50: audit-tamper.spec.ts holds 3140 and 3141, crash 3120, shutdown 3130)
const PORT = Number(process.env.E2E_PORT ?? 3100) + 50;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN_TOKEN = "onboard-installation-admin-token-0123456789";
const AUDIT_KEY = "onboard-audit-key-onboard-audit-key-0123456789";

let own: OwnServer | undefined;
let db: { url: string; drop: () => Promise<void> } | undefined;

test.describe.configure({ mode: "serial" });

async function fresh(extra: Record<string, string> = {}): Promise<OwnServer> {
  const { createScratchDatabase } = await import("../scripts/scratch-db.mjs");
  db = await createScratchDatabase("countersign_onboard");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-onboard-"));
  own = await startOwnServer(PORT, {
    DATABASE_URL: db.url,
    COUNTERSIGN_ADMIN_TOKEN: ADMIN_TOKEN,
    AUTH_SECRET: "onboard-auth-secret-onboard-auth-secret-0123456789",
    COUNTERSIGN_AUDIT_KEY: AUDIT_KEY,
    COUNTERSIGN_CHECKPOINT_KEY: crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    COUNTERSIGN_CHECKPOINT_FILE: path.join(dir, "checkpoints.jsonl"),
    COUNTERSIGN_DEMO: undefined,
    ...extra,
  });
  return own;
}

test.afterEach(async () => {
  if (own) {
    signalGroup(own, "SIGTERM");
    await own.exited;
    own = undefined;
  }
  await db?.drop();
  db = undefined;
});

/** The README's Try-it block, pointed at this server, as a reader would paste it into their shell. */
function tryIt(): { status: number | null; out: string } {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Try it"));
  const block = section.slice(section.indexOf("```bash\n") + 8, section.indexOf("\n```", section.indexOf("```bash\n") + 8));
  expect(block).not.toMatch(/set -e|\bexit\b/);
  const script = block.replaceAll("http://localhost:8081", BASE);
  // Sourced into the shell, as pasting does: a line after it must still run.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "countersign-tryit-")), "try-it.sh");
  fs.writeFileSync(file, script);
  const r = spawnSync("bash", ["-c", `source "$0"; echo "shell still open"`, file], {
    env: { ...process.env, COUNTERSIGN_ADMIN_TOKEN: ADMIN_TOKEN },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test("a fresh install: sign-in points to the setup link; the README's Try-it block leaves it alone", async ({ page }) => {
  test.setTimeout(180_000);
  const server = await fresh();
  const codeIn = () => /first run: create the first admin at \S+\/setup\?code=([\w-]+)/.exec(server.output())?.[1];
  await expect.poll(codeIn, { message: server.output().slice(-2000), timeout: 15_000 }).toBeTruthy();
  const code = codeIn();

  await page.goto(`${BASE}/signin`);
  const hint = page.getByRole("region", { name: "First run: no admin yet" });
  await expect(hint).toContainText("setup link");
  await expect(hint).toContainText("first run: create the first admin at");
  // The code itself is never on the page: whoever opened it first would become the admin.
  await expect(page.locator("body")).not.toContainText(code!);
  await expectNoSeriousA11yViolations(page);

  for (const run of [1, 2]) {
    const { status, out } = tryIt();
    expect(status, out).toBe(0);
    expect(out, `run ${run}`).toContain("shell still open");
    expect(out, `run ${run}`).toMatch(/"state":"APPROVED"/);
    expect(out, `run ${run}`).toMatch(/"ok":true/);
  }

  // The Try-it block wrote to tenant tryit only: the setup link still works.
  await page.goto(`${BASE}/signin`);
  await expect(page.getByRole("region", { name: "First run: no admin yet" })).toBeVisible();
  await page.goto(`${BASE}/setup?code=${code}`);
  await expect(page.getByRole("button", { name: "Create the first admin" })).toBeVisible();
});

test("the demo prints no setup link, seeds a month of history that reads as trends, and its chain verifies", async ({ page }) => {
  test.setTimeout(240_000);
  const started = Date.now();
  const server = await fresh({ COUNTERSIGN_DEMO: "1" });
  const seconds = (Date.now() - started) / 1000;
  expect(server.output()).toMatch(/demo tenant \\?"demo\\?"/);
  expect(server.output()).not.toContain("first run:");
  expect(seconds, "start with the demo's seeding").toBeLessThan(60);

  await page.goto(`${BASE}/signin`);
  await expect(page.getByRole("region", { name: /First run/ })).toHaveCount(0);
  await page.getByLabel("Email").fill("mia@demo.example");
  await page.getByLabel("Password").fill("demo-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/queue/, { timeout: 20_000 });
  await page.goto(`${BASE}/metrics?window=30d`);
  await expect(page.getByRole("img", { name: /Chart of time to decision per day/ })).toBeVisible();
  await page.getByText("Show the numbers as a table").click();
  const decided = await page
    .getByRole("table", { name: "Time to decision per day, as a table" })
    .locator("tbody tr td:nth-child(2)")
    .allInnerTexts();
  expect(decided.filter((n) => Number(n) > 0).length).toBeGreaterThanOrEqual(20);
  await expect(page.getByRole("table", { name: /Decisions by/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Once the sealer has chained every event, `npm run audit:verify` passes on this database.
  await expect
    .poll(async () => {
      const res = await fetch(`${BASE}/api/v1/audit/verify?tenant=demo`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const body = (await res.json()) as { ok: boolean; pending: number };
      return body.ok && body.pending === 0;
    }, { timeout: 60_000 })
    .toBe(true);
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/audit-verify.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db!.url, COUNTERSIGN_AUDIT_KEY: AUDIT_KEY },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
});
