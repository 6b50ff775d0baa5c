// The tests run the compiled CLI as Claude Code and MCP clients do: build it from the current sources
// first. The build only transpiles (it must not wait for the SDK's own build under npm ci), so the
// type check with the package's own settings (NodeNext, verbatim type imports) runs here.
import { execSync } from "node:child_process";
import path from "node:path";

export default function setup(): void {
  execSync("npm run typecheck && npm run build", { cwd: path.resolve(import.meta.dirname, ".."), stdio: "inherit" });
}
