import { spawnSync } from "node:child_process";

// The app's server modules refuse to load outside React's server condition (`import "server-only"`, as
// Next resolves it). A script that loads them runs itself again with that condition, first thing, and
// imports them (dynamically) only after this returns.
const SERVER_CONDITION = "--conditions=react-server";

export function underServerCondition(): void {
  if (process.execArgv.includes(SERVER_CONDITION)) return;
  const again = spawnSync(process.execPath, [...process.execArgv, SERVER_CONDITION, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(again.status ?? 2);
}
