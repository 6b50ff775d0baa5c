// What the machine spent: the server's resident memory (sampled), and the CPU time of the server, of
// PostgreSQL and of this runner, read from /proc around each measured run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

export function childrenOf(pid) {
  const out = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(d), ...childrenOf(Number(d)));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of the server process and any children it spawned. */
function treeRssMb(pid) {
  let kb = rssKb(pid);
  for (const c of childrenOf(pid)) kb += rssKb(c);
  return kb / 1024;
}

/** CPU time (user + system, µs) a process has used so far, all its threads included. */
function cpuUs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The server whose CPU the measured runs account for, and whose memory is sampled (set by each phase). */
let current = null;
export const rssPeak = { pg: 0, pglite: 0 };
export const rssByPhase = { pg: {}, pglite: {} };
// What the server was doing when each peak was sampled (a load run's route, else "other").
let rssPhase = "other";
export function setPhase(phase) {
  rssPhase = phase;
}

/** Start sampling a server's memory every 200 ms under `key`; returns the function that stops it. */
export function watch(server, key) {
  current = server;
  const timer = setInterval(() => {
    const mb = treeRssMb(server.pid);
    if (mb > rssPeak[key]) rssPeak[key] = mb;
    if (mb > (rssByPhase[key][rssPhase] ?? 0)) rssByPhase[key][rssPhase] = mb;
  }, 200);
  return () => clearInterval(timer);
}

/** CPU used so far by the server (and its children), by every PostgreSQL process, and by this runner. */
function cpuNow(pid) {
  let pg = 0;
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, "utf8").startsWith("postgres")) pg += cpuUs(d);
    } catch {
      // the process ended meanwhile
    }
  }
  const server = pid ? cpuUs(pid) + childrenOf(pid).reduce((t, c) => t + cpuUs(c), 0) : 0;
  const own = process.cpuUsage();
  return { server, pg, harness: own.user + own.system };
}

/**
 * The server's main thread (every request's JavaScript runs on it): nanoseconds it has spent on a core
 * and runnable but waiting for one (/proc schedstat), with the wall clock. Its shares of a run say
 * whether a route is bounded by that thread's own work or by what else takes the two cores from it.
 */
function mainThreadNow(pid) {
  try {
    const [run, wait] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ").map(Number);
    return { run, wait, at: process.hrtime.bigint() };
  } catch {
    return null;
  }
}

/**
 * Marks the start of a measured run on `server` (by default the one watched); `end(requests)` gives
 * CPU per request and the main thread's shares.
 */
export function startAccounting(server = current) {
  const pid = server?.pid;
  const c0 = cpuNow(pid);
  const t0 = mainThreadNow(pid);
  return (requests) => {
    const t1 = mainThreadNow(pid);
    const c1 = cpuNow(pid);
    const per = (k) => (requests ? (c1[k] - c0[k]) / requests : null);
    const wall = t0 && t1 ? Number(t1.at - t0.at) : 0;
    return {
      cpu: { server: per("server"), pg: per("pg"), harness: per("harness") },
      thread: wall > 0 ? { running: (t1.run - t0.run) / wall, waiting: (t1.wait - t0.wait) / wall } : null,
    };
  };
}
