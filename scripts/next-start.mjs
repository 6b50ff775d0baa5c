// How the production server is started, in one place: `npm start`, the Playwright servers and the
// benchmark all run `next start` with the same Node flags, so what is tested and measured is what runs.

/**
 * V8 flags for the server process (`next start` passes its own to the server it forks).
 *
 * --max-semi-space-size=32: the young generation's two semi-spaces grow to 32 MB each instead of
 * V8's default 16 MB. A request here allocates 100-200 KB that dies with it (a queue page is ~75 KB
 * read from the database and written out again), and with 50 requests in flight, small semi-spaces
 * scavenge every few dozen requests and promote what is still in flight to the old generation,
 * which then needs full mark-compacts. Measured with bench/run.mjs-style load on the 2-core machine:
 * the queue page served ~20 % more requests per second and spent ~25 % less server CPU per request
 * (GC helper threads included); submission gained less. The cost is up to 32 MB more resident memory.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32"];

/** argv (after `node`) for `next start` on `port`, with `extraNodeFlags` (e.g. profiling) first. */
export function nextStartArgs(port, extraNodeFlags = []) {
  return [...extraNodeFlags, ...SERVER_NODE_FLAGS, "node_modules/next/dist/bin/next", "start", "-p", String(port)];
}
