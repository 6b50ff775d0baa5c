import path from "node:path";
import { expect, type Page } from "@playwright/test";

// axe-core itself (a dependency already), injected into the page: no wrapper package needed.
const AXE = path.join(process.cwd(), "node_modules/axe-core/axe.min.js");

/** Run axe-core in the page and fail on any serious or critical violation, naming each. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  expect(violations).toEqual([]);
}
