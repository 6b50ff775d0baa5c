#!/usr/bin/env node
// Runs the compiled CLI (`npm ci` builds it through the package's `prepare` script), so a hook call
// starts plain Node with no TypeScript loader.
import { existsSync } from "node:fs";

const entry = new URL("../dist/main.js", import.meta.url);
if (!existsSync(entry)) {
  const msg = "countersign is not built: run `npm run build -w @countersign/cli` (npm ci does it)";
  // A hook must still answer, and deny: nothing is allowed without the gate.
  if (process.argv[2] === "hook" && !process.argv.includes("--post")) {
    process.stdout.write(`${JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: msg } })}\n`);
    process.exit(0);
  }
  process.stderr.write(`${msg}\n`);
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
// Exit now: idle keep-alive sockets must not hold a hook (or a refused start) open.
process.exit(code ?? 0);
