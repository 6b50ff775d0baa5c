// The three ways the benchmark sends requests:
// - closed loop (autocannon, N connections each with one request in flight): saturated throughput;
// - open loop (node:http): arrivals on a fixed schedule whatever the answers do, each latency counted
//   from the request's scheduled time, so a stall delays nothing and hides nothing (no coordinated
//   omission); a cheap client, since on two shared cores a heavy one takes the server's CPU;
// - sequential (node:http, one keep-alive connection): what one request costs an unloaded server.
import http from "node:http";
import autocannon from "autocannon";
import { CFG } from "./config.mjs";
import { setPhase, startAccounting } from "./sampling.mjs";

/** Monotonic milliseconds (CLOCK_MONOTONIC, the clock V8's profiler stamps its samples with). */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Exact percentiles (nearest rank) of a list of milliseconds. */
export function summarise(values) {
  const s = Float64Array.from(values).sort();
  const at = (p) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] : null);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : null;
  return { n: s.length, p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), max: s.length ? s[s.length - 1] : null, mean };
}

const phaseOf = (method, p) => `${method} ${p.split("?")[0].replace(/job-[0-9A-Z]+/, "{id}")}`;

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ timeout: 30, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Closed loop: a warm-up run then the measured run; returns the measured figures. */
export async function load({ base, path: p, method = "GET", token, body, setupRequest, connections = CFG.connections, duration = CFG.duration, warmup = CFG.warmup, server }) {
  const request = { method, path: p, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } };
  if (body !== undefined) request.body = body;
  if (setupRequest) request.setupRequest = setupRequest;
  const common = { url: base, connections, requests: [request] };
  setPhase(phaseOf(method, p));
  if (warmup > 0) await cannon({ ...common, duration: warmup });
  const end = startAccounting(server);
  const r = await cannon({ ...common, duration }).finally(() => setPhase("other"));
  return {
    ...end(r.requests.total),
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    avg: r.latency.average,
    max: r.latency.max,
    total: r.requests.total,
    ok: r["2xx"],
    non2xx: r.non2xx,
    s4xx: r["4xx"],
    s5xx: r["5xx"],
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/** One request on a keep-alive agent; resolves (never rejects) with its status and end time. */
function send(agent, url, req) {
  return new Promise((resolve) => {
    const body = req.body === undefined ? null : Buffer.from(req.body);
    const headers = { ...req.headers, ...(body ? { "content-type": "application/json", "content-length": body.length } : {}) };
    const r = http.request({ agent, host: url.hostname, port: url.port, method: req.method ?? "GET", path: req.path, headers, timeout: 30_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, end: now() }));
      res.on("error", (err) => resolve({ error: err.code ?? err.message, end: now() }));
    });
    r.on("timeout", () => r.destroy(new Error("timeout")));
    r.on("error", (err) => resolve({ error: err.code ?? err.message, end: now() }));
    r.end(body);
  });
}

function tally(results) {
  let ok = 0;
  let non2xx = 0;
  let s5xx = 0;
  let errors = 0;
  for (const r of results) {
    if (r.error) errors++;
    else if (r.status >= 200 && r.status < 300) ok++;
    else {
      non2xx++;
      if (r.status >= 500) s5xx++;
    }
  }
  return { ok, non2xx, s5xx, errors };
}

/**
 * Open loop: `rate` requests a second for `seconds`, request i due at t0 + i/rate whatever came back
 * before; latency = answer's end − due time. `next(i)` gives { method, path, headers, body }. The
 * agent opens a socket whenever all are busy, so a slow answer never holds up the next send.
 */
async function schedule({ agent, url, rate, seconds, next }) {
  const n = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const t0 = now() + 5;
  const inflight = [];
  let open = 0;
  let peak = 0;
  await new Promise((done) => {
    let i = 0;
    const tick = () => {
      const t = now();
      while (i < n && t0 + i * interval <= t) {
        const due = t0 + i * interval;
        const req = next(i);
        const sent = now();
        peak = Math.max(peak, ++open);
        inflight.push(send(agent, url, req).then((r) => (open--, { ...r, due, lag: sent - due, latency: r.end - due })));
        i++;
      }
      if (i >= n) return done();
      // Timers have millisecond resolution: a send may leave up to ~1 ms late, and that counts against it.
      setTimeout(tick, Math.max(0, Math.floor(t0 + i * interval - now())));
    };
    tick();
  });
  const results = await Promise.all(inflight);
  return { t0, results, peak };
}

export async function openLoop({ base, rate, seconds = CFG.openDuration, warmup = CFG.openWarmup, next, phase = "open loop" }) {
  const url = new URL(base);
  // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive closes them under a send.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2000, maxFreeSockets: 2000, timeout: 4000 });
  setPhase(phase);
  try {
    if (warmup > 0) await schedule({ agent, url, rate, seconds: warmup, next: (i) => next(-1 - i) });
    const end = startAccounting();
    const { t0, results, peak } = await schedule({ agent, url, rate, seconds, next });
    const acct = end(results.length);
    const last = Math.max(...results.map((r) => r.end));
    const lat = summarise(results.map((r) => r.latency));
    const lag = summarise(results.map((r) => r.lag));
    return { ...acct, ...tally(results), ...lat, offered: rate, rps: results.length / ((last - t0) / 1000), lag, peak, results };
  } finally {
    setPhase("other");
    agent.destroy();
  }
}

/** Sequential: one request at a time on one keep-alive connection, for `seconds` after a warm-up. */
export async function sequential({ base, seconds = CFG.seqDuration, warmup = 1, next, phase = "sequential" }) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  setPhase(phase);
  try {
    const run = async (secs, record) => {
      const results = [];
      const stop = now() + secs * 1000;
      for (let i = 0; now() < stop; i++) {
        const start = now();
        const r = await send(agent, url, next(record ? i : -1 - i));
        results.push({ ...r, latency: r.end - start });
      }
      return results;
    };
    if (warmup > 0) await run(warmup, false);
    const end = startAccounting();
    const t0 = now();
    const results = await run(seconds, true);
    return { ...end(results.length), ...tally(results), ...summarise(results.map((r) => r.latency)), rps: results.length / ((now() - t0) / 1000) };
  } finally {
    setPhase("other");
    agent.destroy();
  }
}
