// Reads the server's CPU profile (--cpu-prof) and its --trace-gc lines for the open-loop window of
// `--profile`, and says what the main thread was doing while the slowest requests waited. Frames of the
// minified build are mapped back to their sources with the build's own source maps (.js.map), so the
// sealer, the sweeper and the request path can be told apart. Sample times and the client's request
// times are both CLOCK_MONOTONIC (V8's TimeTicks and process.hrtime), so they compare directly.
import fs from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

const maps = new Map();
function sourceOf(frame) {
  const { url, lineNumber, columnNumber } = frame;
  if (!url) return "";
  if (!url.startsWith("file://")) return url;
  const file = fileURLToPath(url);
  if (!maps.has(file)) {
    let sm = null;
    try {
      sm = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
    } catch {
      // no map: the file is its own source (node_modules kept external, Node's own)
    }
    maps.set(file, sm);
  }
  const sm = maps.get(file);
  const e = sm?.findEntry(lineNumber, columnNumber);
  if (e?.originalSource && e.generatedLine === lineNumber) return `${e.originalSource.replace(/^(\.\.\/)+/, "")}:${e.originalLine + 1}`;
  return `${file.replace(/^.*\/node_modules\//, "node_modules/")}:${lineNumber + 1}`;
}

// What a stack belongs to, first match wins; a background task anywhere on the stack claims the sample.
const BACKGROUND = [
  ["audit sealer", /lib\/server\/sealer|lib\/services\/audit\/seal/],
  ["SLA sweeper", /lib\/server\/sweeper|lib\/services\/sla\//],
  ["courier (webhooks)", /lib\/server\/courier|lib\/services\/outbox\//],
];
// A leaf frame's own place: its file for packages (Next's dist maps back to Next's own src/), else
// where the build's source map says it came from.
const SELF = [
  ["postgres driver", /node_modules\/postgres\//],
  ["Next.js", /node_modules\/next\//],
  ["React", /node_modules\/react(-dom)?\//],
  ["drizzle-orm", /node_modules\/drizzle-orm\//],
  ["zod", /node_modules\/zod\//],
  ["app code (lib/, app/)", /^(lib|app|proxy|instrumentation|auth)[/.]/],
  ["Node.js internals", /^node:/],
];
const fileOf = (frame) => (frame.url.startsWith("file://") ? fileURLToPath(frame.url).replace(/^.*\/node_modules\//, "node_modules/") : frame.url);

function indexProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map();
  const categoryOf = (id) => {
    if (memo.has(id)) return memo.get(id);
    const node = byId.get(id);
    const fn = node.callFrame.functionName;
    let cat;
    if (fn === "(garbage collector)") cat = "GC (on the main thread)";
    else if (fn === "(idle)") cat = "idle (waiting: database, network, timers)";
    else if (fn === "(program)") cat = "V8 / native (program)";
    else {
      const self = [fileOf(node.callFrame), sourceOf(node.callFrame)];
      for (let at = id; at !== undefined && !cat; at = parent.get(at)) {
        const src = sourceOf(byId.get(at).callFrame);
        cat = BACKGROUND.find(([, re]) => re.test(src))?.[0];
      }
      cat ??= SELF.find(([, re]) => self.some((s) => re.test(s)))?.[0] ?? (node.callFrame.url ? "other" : "V8 / native (program)");
    }
    memo.set(id, cat);
    return cat;
  };
  const labels = new Map();
  const label = (id) => {
    if (!labels.has(id)) {
      const f = byId.get(id).callFrame;
      labels.set(id, f.url ? `${f.functionName || "(anonymous)"} ${sourceOf(f)}` : f.functionName);
    }
    return labels.get(id);
  };
  // Sample times in ms on the monotonic clock.
  const times = new Float64Array(profile.samples.length);
  let t = profile.startTime;
  for (let i = 0; i < times.length; i++) {
    t += profile.timeDeltas[i];
    times[i] = t / 1000;
  }
  return { categoryOf, label, times, samples: profile.samples };
}

const shares = (counts, total) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${((100 * v) / Math.max(1, total)).toFixed(1)} %`)
    .join(", ");

function tally(idx, from, to, into = {}, self = null) {
  let n = 0;
  for (let i = lowerBound(idx.times, from); i < idx.times.length && idx.times[i] <= to; i++) {
    const cat = idx.categoryOf(idx.samples[i]);
    into[cat] = (into[cat] ?? 0) + 1;
    if (self) {
      const e = (self[idx.label(idx.samples[i])] ??= { n: 0, cat });
      e.n++;
    }
    n++;
  }
  return n;
}

function lowerBound(a, x) {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Runs of consecutive GC samples: the main thread's GC pauses as the profiler saw them. */
function gcPauses(idx, from, to) {
  const out = [];
  let start = null;
  let i = lowerBound(idx.times, from);
  for (; i < idx.times.length && idx.times[i] <= to; i++) {
    const gc = idx.categoryOf(idx.samples[i]).startsWith("GC");
    if (gc && start === null) start = idx.times[i - 1] ?? idx.times[i];
    if (!gc && start !== null) {
      out.push([start, idx.times[i - 1]]);
      start = null;
    }
  }
  if (start !== null) out.push([start, idx.times[i - 1]]);
  return out;
}

/** --trace-gc lines: count and main-thread pause per kind (the first figure after "MB,"). */
export function traceGc(text) {
  const kinds = {};
  for (const m of text.matchAll(/ms: ((?:Minor )?(?:Scavenge|Mark-Compact|Mark-Sweep)(?: \(reduce\))?)\b[^\n]*?MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ ([\d.]+) ms/g)) {
    const k = (kinds[m[1]] ??= { n: 0, total: 0, max: 0 });
    const pause = Number(m[2]);
    k.n++;
    k.total += pause;
    k.max = Math.max(k.max, pause);
  }
  return kinds;
}

/**
 * `results` are the open loop's requests ({ due, end, latency }); the tail is its slowest 1 %.
 * Returns markdown lines.
 */
export function analyse({ profile, results, gcText }) {
  const idx = indexProfile(profile);
  const from = Math.min(...results.map((r) => r.due));
  const to = Math.max(...results.map((r) => r.end));
  const sorted = [...results].sort((a, b) => b.latency - a.latency);
  const tail = sorted.slice(0, Math.max(1, Math.ceil(results.length / 100)));
  const lines = [];
  const inProfile = idx.times.length && idx.times[0] <= from && idx.times[idx.times.length - 1] >= to;
  if (!inProfile) lines.push(`**Warning**: the profile (${idx.times[0]?.toFixed(0)}–${idx.times.at(-1)?.toFixed(0)} ms) does not cover the window (${from.toFixed(0)}–${to.toFixed(0)} ms): clocks differ?`);

  const all = {};
  const total = tally(idx, from, to, all);
  lines.push(`- Whole window (${((to - from) / 1000).toFixed(1)} s, ${total} samples): ${shares(all, total)}.`);

  const during = {};
  const self = {};
  let n = 0;
  const dominant = {};
  for (const r of tail) {
    const one = {};
    n += tally(idx, r.due, r.end, one, self);
    for (const [k, v] of Object.entries(one)) during[k] = (during[k] ?? 0) + v;
    const top = Object.entries(one).sort((a, b) => b[1] - a[1])[0]?.[0] ?? "no samples";
    dominant[top] = (dominant[top] ?? 0) + 1;
  }
  lines.push(`- While the slowest ${tail.length} requests (≥ ${tail.at(-1).latency.toFixed(1)} ms) waited (${n} samples, overlaps counted once per request): ${shares(during, n)}.`);
  const lag = tail.map((r) => r.lag).sort((a, b) => a - b);
  lines.push(`- The client sent those requests ${lag[Math.floor(lag.length / 2)].toFixed(1)} ms (median) / ${lag.at(-1).toFixed(1)} ms (most) after their due time (counted in their latency).`);
  lines.push(`- Each slow request by what the main thread did most while it waited: ${Object.entries(dominant).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}.`);

  const pauses = gcPauses(idx, from, to).map(([a, b]) => ({ a, b, ms: b - a + 1 }));
  const long = pauses.filter((p) => p.ms >= 5);
  const hit = tail.filter((r) => pauses.some((p) => p.a < r.end && p.b > r.due && p.ms >= 5)).length;
  lines.push(
    `- GC pauses seen by the profiler in the window: ${pauses.length}, of which ${long.length} ≥ 5 ms (longest ${pauses.length ? Math.max(...pauses.map((p) => p.ms)).toFixed(0) : 0} ms); ` +
      `${hit} of the ${tail.length} slowest requests overlapped one ≥ 5 ms.`,
  );
  const kinds = traceGc(gcText);
  const gcLine = Object.entries(kinds).map(([k, v]) => `${k} ×${v.n} (${v.total.toFixed(0)} ms in all, longest ${v.max.toFixed(1)} ms)`);
  lines.push(`- --trace-gc in the window: ${gcLine.length ? gcLine.join("; ") : "no collections logged"}.`);

  const topSelf = Object.entries(self)
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, 15)
    .map(([label, v]) => `  - ${((100 * v.n) / Math.max(1, n)).toFixed(1)} % ${label} [${v.cat}]`);
  lines.push(`- Top functions (self time) while the slowest requests waited:`, ...topSelf);
  return lines;
}
