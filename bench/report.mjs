// Results: each row printed as it comes and kept, with the run's notes, for docs/benchmarks.md (doc.mjs).
import fs from "node:fs";
import { fmt, ms } from "./util.mjs";

export const rows = [];
export const notes = [];
export const note = (text) => notes.push(text);

const COLS = [
  ["scenario", 50],
  ["req/s", 9],
  ["p50 ms", 8],
  ["p99 ms", 8],
  ["max ms", 8],
  ["non-2xx", 9],
  ["ratio", 6],
  ["× bare", 6],
  ["target", 30],
  ["result", 6],
];
export const HEADERS = COLS.map(([h]) => h);
export const cells = (r) => [r.name, r.rps, r.p50, r.p99, r.max, r.non2xx, r.ratio, r.bare, r.target, r.result ?? ""];

export function printHeader() {
  console.log("\n" + COLS.map(([h, w]) => h.padEnd(w)).join(" "));
  console.log(COLS.map(([, w]) => "-".repeat(w)).join(" "));
}
export function addRow(row) {
  rows.push(row);
  console.log(cells(row).map((c, i) => String(c ?? "").padEnd(COLS[i][1])).join(" "));
}
export const verdict = (ok) => (ok === null || ok === undefined ? "n/a" : ok ? "met" : "MISSED");

const cpuRows = [];
const label = (name) => {
  const short = name.replace(/^PGlite /, "");
  const tag = short.split(" ")[0];
  return /open loop|rung|conn\b/.test(short) ? short.replace(/ \(.*\)$/, "") : tag;
};

/** One note of the CPU each measured run cost per request, for the phase just run. */
export function cpuNote(phase) {
  if (!cpuRows.length) return;
  const us = (v) => (v === null ? "—" : fmt(v));
  const list = cpuRows.map(({ name, cpu }) => `${label(name)} ${us(cpu.server)} / ${us(cpu.pg)} / ${us(cpu.harness)}`).join("; ");
  note(`CPU per request (${phase}), µs: the server with its GC threads / PostgreSQL (every postgres process) / the load generator: ${list}. Two cores give 2,000,000 µs a second.`);
  const pct = (v) => `${Math.round(v * 100)}`;
  const threads = cpuRows.filter(({ thread }) => thread).map(({ name, thread }) => `${label(name)} ${pct(thread.running)} / ${pct(thread.waiting)}`);
  if (threads.length) {
    note(
      `The server's main thread (${phase}), % of each measured run: on a core / runnable but waiting for one (the kernel's schedstat): ${threads.join("; ")}. ` +
        "Where the two add up to ~100 the thread was never idle: a route's ratio is then bounded by that thread's own work plus what PostgreSQL, the GC threads and the load generator take from the same two cores.",
    );
  }
  cpuRows.length = 0;
}

/**
 * A closed-loop row: throughput against the in-app ceiling (`ceiling`, the verdict's reference) and the
 * bare Next.js app's (`bare`, reported beside it). `checks` are (m, ratio) => boolean.
 */
export function httpRow(name, m, { ceiling = null, bare = null, checks = [], target = "", ratioText = null } = {}) {
  if (m.cpu) cpuRows.push({ name, cpu: m.cpu, thread: m.thread });
  const ratio = ceiling ? m.rps / ceiling.rps : null;
  const failed = checks.some((c) => c(m, ratio) === false);
  const non2xx = m.non2xx + m.errors + (m.timeouts ?? 0);
  if (m.s5xx > 0) note(`${name}: ${m.s5xx} responses were 5xx (server error) — see the server log.`);
  if (m.errors || m.timeouts) note(`${name}: ${m.errors} connection errors, ${m.timeouts ?? 0} timeouts.`);
  addRow({
    name,
    rps: fmt(m.rps, m.rps < 10 ? 1 : 0),
    p50: ms(m.p50),
    p99: ms(m.p99),
    max: ms(m.max),
    non2xx: m.s5xx ? `${fmt(non2xx)} (5xx ${m.s5xx})` : fmt(non2xx),
    ratio: ratioText ?? (ratio === null ? "" : ratio.toFixed(2)),
    bare: bare ? (m.rps / bare.rps).toFixed(2) : "",
    target,
    result: checks.length ? verdict(!failed) : "",
    raw: m,
    ratioValue: ratio,
  });
}

/** A latency row (open loop or sequential): judged on its percentiles, `check(m)`. */
export function latencyRow(name, m, { check = null, target = "", ratioText = null } = {}) {
  httpRow(name, m, { checks: check ? [(x) => check(x)] : [], target, ratioText });
}

export function errorRow(name, err, target = "") {
  const msg = String(err?.message ?? err).split("\n")[0].slice(0, 300);
  note(`${name}: FAILED — ${msg}`);
  addRow({ name, rps: "error", target, result: "MISSED", error: msg });
}

/** Runs one scenario; a failure becomes a MISSED row and a note, and the run goes on. */
export async function step(name, target, fn) {
  try {
    await fn();
  } catch (err) {
    console.error(`[bench] ${name} failed: ${err?.stack ?? err}`);
    errorRow(name, err, target);
  }
}

/** Error lines of a server log: client disconnects (sockets closed at the end of a run) apart. */
export function summariseServerLog(server) {
  const lines = fs.readFileSync(server.logFile, "utf8").split("\n");
  const isAbort = (l) => /unhandled error Error: aborted/.test(l);
  const aborted = lines.filter(isAbort).length;
  const other = lines.filter((l) => /error|Error|ERR|warn/i.test(l) && !isAbort(l) && !/code: 'ECONNRESET'/.test(l));
  if (aborted) {
    note(
      `server log (${server.name}): ${aborted} × "[countersign] unhandled error Error: aborted" (ECONNRESET): requests whose client ` +
        `disconnected mid-body when a load run closed its sockets at the end; the server logs them as unhandled errors.`,
    );
  }
  if (other.length) {
    const distinct = [...new Set(other.map((l) => l.trim()))].slice(0, 10);
    note(`server log (${server.name}): ${other.length} other error/warning lines; distinct (first ${distinct.length}):\n\n    ${distinct.join("\n    ")}\n`);
  }
}
