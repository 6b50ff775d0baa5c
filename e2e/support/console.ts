import { expect, type Locator, type Page } from "@playwright/test";
import { PASSWORD } from "./world";

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/queue/);
}

export class QueuePage {
  constructor(readonly page: Page) {}

  async open(query = ""): Promise<void> {
    await this.page.goto(`/queue${query}`);
    await expect(this.page.getByRole("heading", { name: "Approval queue" })).toBeVisible();
  }

  rows(): Locator {
    return this.page.getByRole("list", { name: /Pending requests/ }).getByRole("listitem");
  }

  row(title: string): Locator {
    return this.rows().filter({ hasText: title });
  }

  /** Job ids in the order the queue shows them. */
  async ids(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute("data-job-id") ?? ""));
  }
}

export class JobPage {
  constructor(readonly page: Page) {}

  async decide(vote: "Approve" | "Reject", reason: string, note?: string): Promise<void> {
    const form = this.page.getByRole("form", { name: "Your decision" });
    await form.getByText(vote, { exact: true }).click();
    await form.getByLabel(/^Reason/).selectOption(reason);
    if (note) await form.getByLabel(/^Note/).fill(note);
    await form.getByRole("button", { name: new RegExp(`^${vote} this request`) }).click();
  }

  state(): Locator {
    return this.page.getByTestId("job-state");
  }
}
