import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { signIn } from "./support/console";
import { makeWorld } from "./support/world";

const row = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });

test("an admin invites a person, who sets a password with the one-time link; roles change; disable", async ({ page, request, browser }) => {
  test.setTimeout(90_000);
  const w = await makeWorld(request, { alex: ["admin"], rita: ["reviewer"] });
  await signIn(page, w.people.alex!.email);
  await page.getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("heading", { name: "People", level: 1 })).toBeVisible();
  await expect(row(page, w.people.rita!.email)).toContainText("reviewer");
  await expectNoSeriousA11yViolations(page);

  const invitee = `nia@${w.tenant}.example`;
  const invite = page.getByRole("form", { name: "Invite a person" });
  await invite.getByLabel("Email").fill(invitee);
  await invite.getByLabel(/^Roles/).fill("finance, reviewer");
  await invite.getByRole("button", { name: "Invite" }).click();
  const link = page.getByRole("textbox", { name: "set-password link" });
  await expect(link).toHaveValue(/\/set-password\?u=usr-/);
  await expect(page.getByRole("button", { name: "Copy set-password link" })).toBeVisible();
  await expect(row(page, invitee)).toContainText("Invited");
  await expect(row(page, invitee)).toContainText("finance, reviewer");
  const url = new URL(await link.inputValue());

  // The invited person, in a browser of their own, sets a password and lands in the console.
  const theirs = await browser.newContext();
  const nia = await theirs.newPage();
  await nia.goto(url.pathname + url.search);
  await expect(nia.getByText(invitee)).toBeVisible();
  await nia.getByLabel(/^New password/).fill("nia-password-123");
  await nia.getByLabel("The same password again").fill("nia-password-123");
  await nia.getByRole("button", { name: "Set password and sign in" }).click();
  // Two scrypt hashes (set, then sign in) on a busy machine.
  await expect(nia).toHaveURL(/\/queue/, { timeout: 30_000 });
  await expect(nia.getByRole("link", { name: "People" })).toHaveCount(0);
  // The link worked once.
  await nia.goto(url.pathname + url.search);
  await expect(nia.getByRole("alert").filter({ hasText: "not valid any more" })).toBeVisible();
  // Not an admin: the page says so rather than showing anything.
  await nia.goto("/people");
  await expect(nia.getByRole("alert").filter({ hasText: "Only admins may manage people" })).toBeVisible();
  await theirs.close();

  await page.reload();
  await expect(row(page, invitee)).toContainText("Active");
  await page.getByRole("button", { name: `Change roles of ${invitee}` }).click();
  await page.getByLabel(`Roles of ${invitee}`).fill("security");
  await page.getByRole("button", { name: "Save roles" }).click();
  await expect(row(page, invitee)).toContainText("security");
  await expect(row(page, invitee)).not.toContainText("finance");

  await page.getByRole("button", { name: `Disable ${invitee}` }).click();
  await page.getByRole("group", { name: `Disable ${invitee}` }).getByRole("button", { name: `Disable ${invitee}` }).click();
  await expect(row(page, invitee)).toContainText("Disabled");
  await expect(page.getByRole("button", { name: `Enable ${invitee}` })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("an admin mints a token (secret once, with copy), sees it listed, and revokes it", async ({ page, request }) => {
  const w = await makeWorld(request, { alex: ["admin"], rita: ["reviewer"] });
  await signIn(page, w.people.alex!.email);
  await page.getByRole("link", { name: "Tokens" }).click();
  await expect(page.getByRole("heading", { name: "Tokens", level: 1 })).toBeVisible();
  await expect(row(page, "deploy-bot")).toContainText(w.ownerEmail);
  await expectNoSeriousA11yViolations(page);

  const form = page.getByRole("form", { name: "Mint a token" });
  await form.getByLabel("Name").fill("etl-bot");
  await form.getByRole("combobox", { name: /^Owner/ }).selectOption(w.people.rita!.email);
  await form.getByRole("combobox", { name: "Expires" }).selectOption("30");
  await form.getByRole("button", { name: "Mint token" }).click();
  const secret = page.getByRole("textbox", { name: "secret of token etl-bot" });
  await expect(secret).toHaveValue(/^cs_/);
  await expect(page.getByRole("button", { name: "Copy secret of token etl-bot" })).toBeVisible();
  await expect(page.getByText("shown only this once")).toBeVisible();
  const etl = row(page, "etl-bot");
  await expect(etl).toContainText(w.people.rita!.email);
  await expect(etl).toContainText("jobs:submit");
  await expect(etl).toContainText("Never");
  await expect(etl).toContainText("Live");

  // The token works until it is revoked.
  const token = await secret.inputValue();
  expect((await request.get("/api/v1/jobs", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);
  await page.getByRole("button", { name: "Revoke etl-bot" }).click();
  await page.getByRole("group", { name: "Revoke etl-bot" }).getByRole("button", { name: "Revoke etl-bot" }).click();
  await expect(row(page, "etl-bot")).toHaveCount(0);
  expect((await request.get("/api/v1/jobs", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
  await page.getByLabel("Show revoked tokens").check();
  await expect(row(page, "etl-bot")).toContainText("Revoked");
});

test("an admin is told why a token that approves can be minted only by its person", async ({ page, request }) => {
  const w = await makeWorld(request, { alex: ["admin"], rita: ["reviewer"] });
  await signIn(page, w.people.alex!.email);
  await page.goto("/tokens");
  const form = page.getByRole("form", { name: "Mint a token" });
  await form.getByRole("radio", { name: /^Person/ }).check();
  await form.getByRole("combobox", { name: "Acts as" }).selectOption({ label: w.people.rita!.email });
  await expect(form.getByRole("checkbox", { name: "approvals:resolve" })).toBeDisabled();
  await expect(form.getByRole("note")).toContainText(`Only ${w.people.rita!.email} can mint a token that approves`);
  await form.getByLabel("Name").fill("rita-reader");
  await form.getByRole("button", { name: "Mint token" }).click();
  await expect(page.getByRole("textbox", { name: "secret of token rita-reader" })).toHaveValue(/^cs_/);
  await expect(row(page, "rita-reader")).not.toContainText("approvals:resolve");

  // For themselves an admin may mint one that approves.
  await form.getByRole("combobox", { name: "Acts as" }).selectOption({ label: `${w.people.alex!.email} (you)` });
  await form.getByRole("checkbox", { name: "approvals:resolve" }).check();
  await form.getByLabel("Name").fill("alex-own");
  await form.getByRole("button", { name: "Mint token" }).click();
  await expect(row(page, "alex-own")).toContainText("approvals:resolve");
});

test("People and Tokens are in the nav for admins only", async ({ page, request }) => {
  const w = await makeWorld(request, { rita: ["reviewer"] });
  await signIn(page, w.people.rita!.email);
  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByRole("link", { name: "Queue" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "People" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Tokens" })).toHaveCount(0);
  await page.goto("/tokens");
  await expect(page.getByRole("alert").filter({ hasText: "Only admins may manage tokens" })).toBeVisible();
});

test("People and Tokens fit a 390 px phone without scrolling sideways", async ({ page, request }) => {
  const w = await makeWorld(request, { alex: ["admin"], rita: ["reviewer"] });
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, w.people.alex!.email);
  for (const path of ["/people", "/tokens"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
