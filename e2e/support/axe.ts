import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * axe-core over the page as it is now (or only the part `include` selects): no violation of serious or
 * critical impact. `what` names the page in the failure.
 */
export async function expectNoSeriousA11yViolations(page: Page, opts: { include?: string; what?: string } = {}): Promise<void> {
  const builder = new AxeBuilder({ page });
  if (opts.include) builder.include(opts.include);
  const { violations } = await builder.analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const where = opts.what ? `${opts.what}: ` : "";
  expect(serious.map((v) => `${where}${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}
