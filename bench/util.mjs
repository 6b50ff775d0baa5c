// Small shared helpers: logging, number formatting, and the cleanup registry that undoes everything the
// run creates (servers, databases, temporary folders), once, on exit, error or signal.
import fs from "node:fs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const log = (msg) => console.log(`[bench] ${msg}`);
export const fmt = (n, d = 0) =>
  n === null || n === undefined || Number.isNaN(n) ? "—" : Number(n).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
/** Milliseconds with one decimal under 100, whole above: latencies read at a glance. */
export const ms = (n) => (n === null || n === undefined ? "—" : fmt(n, n < 100 ? 1 : 0));

const cleanups = [];
let cleaning = null;
export function onCleanup(fn) {
  cleanups.push(fn);
}
export async function cleanup() {
  if (!cleaning) {
    cleaning = (async () => {
      while (cleanups.length) {
        const fn = cleanups.pop();
        try {
          await fn();
        } catch (err) {
          console.error(`[bench] cleanup step failed: ${err?.message ?? err}`);
        }
      }
    })();
  }
  return cleaning;
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    console.error(`\n[bench] ${sig}: cleaning up…`);
    cleanup().finally(() => process.exit(130));
  });
}

export function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
