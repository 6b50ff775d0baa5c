/**
 * Every cursor is client input: forged ones (random bytes, base64url of any JSON, valid-looking
 * cursors with dates beyond what PostgreSQL holds, ids that are not ours, wrong types, real cursors
 * damaged) answer 400 with a stable code on every route that takes one, never a 5xx. The routes are
 * read from the OpenAPI table (which openapi.test.ts holds to the app/api tree), so a new listing
 * with a cursor is covered at once.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "@/lib/api/openapi";
import { makeWorld, type World } from "./fixtures";
import { call } from "./http";

const CURSOR_ROUTES = OPERATIONS.filter((op) => op.method === "get" && op.query && "cursor" in op.query.shape).map((op) => `/api/v1${op.path}`);

let w: World;
/** A real next_cursor per route (and the history ordering of the queue), to damage. */
const real: Record<string, string[]> = {};

beforeAll(async () => {
  w = await makeWorld("cursors");
  // Two pending jobs (queue pages), two resolved ones (history), deliveries (callbacks), audit events.
  for (let i = 0; i < 2; i++) await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { i } });
  for (let i = 0; i < 2; i++) {
    const job = await w.submit({ topic: "job.config.update", risk_tags: ["prod", "write"], payload: { c: i }, callback_url: "https://callback.cursors.example/" });
    const cancel = await call("POST", `/api/v1/jobs/${job.job.id}/cancel`, { token: w.agent, body: {} });
    expect(cancel.status).toBe(200);
  }
  for (const route of CURSOR_ROUTES) {
    real[route] = [];
    for (const q of ["limit=1", "limit=1&include_resolved=true"]) {
      if (q.includes("include_resolved") && !route.endsWith("/approvals")) continue;
      const page = await call("GET", `${route}?${q}`, { token: w.admin });
      expect(page.status, `${route}?${q}: ${JSON.stringify(page.body)}`).toBe(200);
      expect(typeof page.body.next_cursor, `${route} hands out a cursor`).toBe("string");
      real[route]!.push(page.body.next_cursor);
    }
  }
});

const b64 = (text: string) => Buffer.from(text).toString("base64url");
const enc = (value: unknown) => b64(JSON.stringify(value));

const hostileDate = fc.oneof(
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    "+275760-09-13T00:00:00.000Z",
    "-271821-04-20T00:00:00.000Z",
    "-000001-01-01T00:00:00.000Z",
    "0000-01-01T00:00:00.000Z",
    "1969-12-31T23:59:59.999Z",
    "9999-12-31T23:59:59.999Z",
    "2024-02-30T00:00:00.000Z",
    "2024-13-01T00:00:00.000Z",
    "2024-01-01T24:00:00.000Z",
    "2024-01-01T00:00:00Z",
    "2024-01-01 00:00:00+00",
    "2024-01-01T00:00:00.000+14:00",
    "infinity",
    "-infinity",
    "epoch",
    "now",
    "",
  ),
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(8.64e15, -8.64e15, 253402300800000, -1, 0)),
  fc.constantFrom(null, true, [], {}),
);
const hostileId = fc.oneof(
  fc.constantFrom("job-01ARZ3NDEKTSV4RRFFQ69G5FAV", "dlv-01ARZ3NDEKTSV4RRFFQ69G5FAV", "x\u0000", "\ud800", "'; drop table jobs; --", "x".repeat(300), "", "job-\u043e"),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(1, null, [], {}),
);
/** Shaped like the listings' own cursors, with hostile parts. */
const shaped = fc.oneof(
  fc
    .record({ k: fc.constantFrom("p", "h", "x", 1), d: hostileDate, c: hostileDate, i: hostileId, extra: fc.constant("y") }, { requiredKeys: [] })
    .map(enc),
  fc.tuple(hostileDate, hostileId).map(enc),
  fc.array(fc.oneof(hostileDate, hostileId), { maxLength: 4 }).map(enc),
  // Number literals JSON.stringify cannot write.
  fc.constantFrom('[1e400,"dlv-x"]', '{"k":"p","d":1e400,"c":-1e400,"i":"job-x"}', "[", "{", '"x"', "null", "\u0000", "\ufeff[]").map(b64),
);
const sequence = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
  fc.constantFrom("-1", "1e3", " 1", "1 ", "0x10", "00", "01", "+1", "9007199254740992", "9223372036854775808", "1.5", "NaN", "Infinity", "٣"),
);
const junk = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.base64String({ maxLength: 80 }),
  fc.jsonValue({ maxDepth: 3 }).map(enc),
);

const hostileCursor = (route: string) =>
  fc.oneof(
    shaped,
    sequence,
    junk,
    // A real cursor, damaged: cut short, a character changed, something appended.
    fc.tuple(fc.constantFrom(...real[route]!), fc.nat(), fc.constantFrom("cut", "flip", "append")).map(([c, n, how]) => {
      const at = n % c.length;
      if (how === "cut") return c.slice(0, at);
      if (how === "flip") return c.slice(0, at) + (c[at] === "A" ? "B" : "A") + c.slice(at + 1);
      return c + "A";
    }),
  );

describe("forged cursors answer 4xx on every route that takes one", () => {
  it("the routes are found", () => {
    expect(CURSOR_ROUTES.sort()).toEqual(["/api/v1/admin/deliveries", "/api/v1/approvals", "/api/v1/audit"]);
  });

  it.each([
    // The reported case: a deliveries cursor whose date JavaScript reads and PostgreSQL cannot hold.
    ["/api/v1/admin/deliveries", enc(["+275760-09-13T00:00:00.000Z", "dlv-x"])],
    ["/api/v1/admin/deliveries", enc([8.64e15, "dlv-x"])],
    ["/api/v1/admin/deliveries", enc(["-000001-01-01T00:00:00.000Z", "dlv-x"])],
    ["/api/v1/admin/deliveries", enc(["2024-01-01T00:00:00.000Z", "dlv-\u0000"])],
    ["/api/v1/approvals", enc({ k: "p", d: "2024-02-30T00:00:00.000Z", c: "2024-01-01T00:00:00.000Z", i: "job-x" })],
    ["/api/v1/audit", "9007199254740993"],
    ["/api/v1/audit", "99999999999999999999"],
  ])("%s?cursor=%s → 400 invalid_cursor", async (route, cursor) => {
    const res = await call("GET", `${route}?cursor=${encodeURIComponent(cursor)}`, { token: w.admin });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe("invalid_cursor");
    expect(res.body.errors).toEqual([{ path: "cursor", message: "invalid cursor" }]);
  });

  it("a real cursor still pages", async () => {
    for (const route of CURSOR_ROUTES) {
      for (const cursor of real[route]!) {
        const q = route.endsWith("/approvals") && cursor === real[route]![1] ? "&include_resolved=true" : "";
        const res = await call("GET", `${route}?limit=1&cursor=${encodeURIComponent(cursor)}${q}`, { token: w.admin });
        expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body.items.length).toBe(1);
      }
    }
  });

  for (const route of CURSOR_ROUTES) {
    it(`${route}: hostile cursors, property-based`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileCursor(route), fc.boolean(), async (cursor, resolved) => {
          const q = `cursor=${encodeURIComponent(cursor)}${resolved && route.endsWith("/approvals") ? "&include_resolved=true" : ""}`;
          const res = await call("GET", `${route}?${q}`, { token: w.admin });
          const label = `${route}?${q} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          expect(res.status, label).toBeLessThan(500);
          if (res.status !== 200) {
            expect(res.status, label).toBe(400);
            // Decoded and refused (invalid_cursor), or too long for the query schema (validation_failed).
            expect(["invalid_cursor", "validation_failed"], label).toContain(res.body.code);
            expect(res.body.errors?.[0]?.path, label).toBe("cursor");
          }
        }),
        { numRuns: 300 },
      );
    }, 120_000);
  }
});
