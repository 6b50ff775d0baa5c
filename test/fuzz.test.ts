/**
 * Hostile input, property-based (fast-check), over every route file under app/api and every method it
 * exports: bodies, query strings, path ids and headers. Real handlers, real PostgreSQL.
 *
 * What must hold for every answer:
 *  - never a 5xx, never HTML;
 *  - every non-2xx answer is application/problem+json with a stable snake_case `code` and `status`
 *    equal to the HTTP status;
 *  - a request that fails stores nothing (row counts of every table, read straight from PostgreSQL),
 *    and a GET never stores anything;
 *  - unknown fields (mass assignment of state, resolution, tenant, id, ...) are refused (400) by the
 *    strict schemas; where a body is legitimately accepted, what is stored round-trips exactly and
 *    never takes its tenant, state or resolution from the body.
 *
 * The route list is read from the directory tree, so a new route file is fuzzed generically at once,
 * and the inventory test fails until it has a field-aware entry in SPEC below.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY_YAML } from "@/lib/policy/default-policy";
import { parsePolicy } from "@/lib/policy/parse";
import { policySnapshotId } from "@/lib/policy/snapshot";
import { signCheckpoint } from "@/lib/services/audit/checkpoint";
import { publicKeyId } from "@/lib/services/audit/keys";
import { ADMIN, makeWorld, type Person, type World } from "./fixtures";
import { call, dispatch } from "./http";
import { patternOf, routeFiles, templateOf } from "./routes";

// ---------------------------------------------------------------------------------------------------
// The route inventory: every app/api/**/route.ts and the methods it exports.
// ---------------------------------------------------------------------------------------------------

const ROOT = path.resolve(import.meta.dirname, "..");
const API_DIR = path.join(ROOT, "app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

/** Route files that cannot be driven from vitest, and where they are fuzzed instead. */
const ELSEWHERE: Record<string, string> = {
  // next-auth's own handlers import next/server internals that only resolve inside a Next server.
  "auth/[...nextauth]": "e2e/hostile.spec.ts (through the real server)",
};

interface RouteFile {
  rel: string; // e.g. "v1/jobs/[id]/claim"
  template: string; // e.g. "/api/v1/jobs/{id}/claim"
  params: string[]; // dynamic segment names
  viaTable: boolean; // test/http.ts ROUTES dispatches it (else: its handler is called directly)
  mod: Partial<Record<Method, Handler>>;
  methods: Method[];
}

function routeDirs(dir = API_DIR): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeDirs(full));
    else if (entry.name === "route.ts") out.push(path.relative(API_DIR, dir).split(path.sep).join("/"));
  }
  return out.sort();
}

/** The route modules test/http.ts dispatches: every route file but the catch-alls, plus its v1 fallback. */
function tableRoutes(): Set<string> {
  const served = routeFiles().map(templateOf).filter((t) => patternOf(t) !== null);
  return new Set([...served.map((t) => t.slice("/api/".length)), "v1/[...rest]"]);
}

async function loadRoutes(): Promise<RouteFile[]> {
  const table = tableRoutes();
  const out: RouteFile[] = [];
  for (const rel of routeDirs()) {
    if (ELSEWHERE[rel]) continue;
    const mod = (await import(/* @vite-ignore */ path.join(API_DIR, rel, "route.ts"))) as Partial<Record<Method, Handler>>;
    const params = [...rel.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]!);
    const template = "/api/" + rel.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, "{$1}");
    out.push({ rel, template, params, viaTable: table.has(rel), mod, methods: METHODS.filter((m) => typeof mod[m] === "function") });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Sending a request and judging the answer.
// ---------------------------------------------------------------------------------------------------

interface Ans {
  status: number;
  type: string;
  headers: Headers;
  body: any;
  text: string;
}

interface Req {
  path: string; // path and query, already encoded
  token?: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

const encoder = new TextEncoder();

/** Through test/http.ts `dispatch` for routes its table knows; the module's own handler otherwise. */
async function send(route: RouteFile, method: Method, r: Req): Promise<Ans> {
  const abort = new AbortController();
  const headers = new Headers(r.headers);
  if (r.token !== undefined) headers.set("authorization", `Bearer ${r.token}`);
  const init: RequestInit = { method, headers, signal: abort.signal };
  // Bytes, so that no content type is added behind our back (a string body gets text/plain).
  if (r.body !== undefined && method !== "GET") init.body = (typeof r.body === "string" ? encoder.encode(r.body) : r.body) as Uint8Array<ArrayBuffer>;
  const req = new Request(new URL(r.path, "http://localhost:3000"), init);
  let res: Response;
  if (route.viaTable) {
    res = await dispatch(req);
  } else {
    const handler = route.mod[method]!;
    res = await handler(req, {} as { params: Promise<Record<string, string>> });
  }
  const type = res.headers.get("content-type") ?? "";
  let text = "";
  if (/^text\/event-stream/i.test(type)) {
    // The queue stream never ends by itself: hang up, as a browser would.
    abort.abort();
    await res.body?.cancel().catch(() => {});
  } else {
    text = await res.text();
  }
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: res.status, type, headers: res.headers, body, text };
}

const short = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
const describeReq = (m: string, r: Req, a: Ans) =>
  `${m} ${short(r.path, 200)} body=${r.body === undefined ? "-" : short(typeof r.body === "string" ? r.body : `<${r.body.byteLength} bytes>`, 160)} → ${a.status} ${a.type} ${short(a.text, 300)}`;

/** The rules every answer keeps, whatever was sent. */
function expectSound(method: string, r: Req, a: Ans) {
  const label = describeReq(method, r, a);
  expect(a.status, label).toBeLessThan(500);
  expect(a.status, label).toBeGreaterThanOrEqual(200);
  expect(a.type, label).not.toMatch(/html/i);
  if (a.status >= 300) {
    expect(a.type, label).toMatch(/^application\/problem\+json/i);
    expect(typeof a.body, label).toBe("object");
    expect(a.body?.code, label).toMatch(/^[a-z_]+$/);
    expect(a.body?.status, label).toBe(a.status);
    expect(typeof a.body?.title, label).toBe("string");
    expect(typeof a.body?.detail, label).toBe("string");
  }
}

const ok = (a: Ans) => a.status >= 200 && a.status < 300;
const limited = (a: Ans) => a.status === 429 && a.body?.code === "rate_limited";

// ---------------------------------------------------------------------------------------------------
// The database, read directly: what a request stored.
// ---------------------------------------------------------------------------------------------------

const TABLES = [
  "tenants",
  "users",
  "tokens",
  "jobs",
  "decisions",
  "votes",
  "audit_events",
  "policy_snapshots",
  "policy_activations",
  "deliveries",
  "delivery_attempts",
  "callback_secrets",
  "notification_targets",
] as const;

let sql: postgres.Sql;
const COUNTS_SQL = `select ${TABLES.map((t) => `(select count(*) from ${t})::int as ${t}`).join(", ")}`;
async function counts(): Promise<Record<string, number>> {
  const [row] = await sql.unsafe(COUNTS_SQL);
  return { ...row } as Record<string, number>;
}

/** Rows updated (not inserted) by a request: the columns a mass assignment would aim at. */
async function mutableState(): Promise<string> {
  const [row] = await sql`
    select
      (select md5(coalesce(string_agg(id || state || coalesce(resolution, '-') || tenant_id, ',' order by id), '')) from jobs) as jobs,
      (select md5(coalesce(string_agg(id || tenant_id || array_to_string(roles, '|') || disabled::text || coalesce(name, '-'), ',' order by id), '')) from users) as users,
      (select md5(coalesce(string_agg(id || tenant_id || coalesce(revoked_at::text, '-'), ',' order by id), '')) from tokens) as tokens,
      (select md5(coalesce(string_agg(id || coalesce(active_snapshot_id, '-'), ',' order by id), '')) from tenants) as tenants`;
  return JSON.stringify(row);
}

// ---------------------------------------------------------------------------------------------------
// Hostile material.
// ---------------------------------------------------------------------------------------------------

const SQLI = [
  "'; drop table jobs; --",
  "' or '1'='1",
  '" or 1=1 --',
  "1; select pg_sleep(5); --",
  "') union select token_hash from tokens --",
  "%' and 1=0 union select null --",
  "$1",
  "\\x00\\x27",
];
const HTML = [
  '<img src=x onerror="window.__pwned=1">',
  "<script>window.__pwned=1</script>",
  "javascript:window.__pwned=1",
  '"><svg onload=window.__pwned=1>',
  "<iframe src=\"javascript:window.__pwned=1\"></iframe>",
  "{{constructor.constructor('window.__pwned=1')()}}",
  "&lt;b&gt;&#x3C;script&#x3E;",
];
const LOOKALIKES = [
  "j\u043eb.prod.deploy", // Cyrillic о
  "job\uff0eprod\uff0edeploy", // full-width dots
  "job.prod\u200d.deploy", // zero-width joiner
  "job.prod.deploy\u200b", // zero-width space
  "\uff4a\uff4f\uff42.prod.deploy", // full-width letters
  "job.prod.dep\u0131oy", // dotless i
  "job.\u202eyolped.dorp", // right-to-left override
  "job.prod.deploy\ufeff",
  "JOB.PROD.DEPLOY",
  "job.prod.deploy\n",
  " job.prod.deploy",
  "job..deploy",
  "job.prod.deploy.",
  "job/prod/deploy",
  "job.prod.d\u0435ploy", // Cyrillic е
];
const CONTROLS = ["\u0000", "a\u0000b", "\u0007", "\u001b[31mred\u001b[0m", "\r\n", "\u0085", "\u2028", "\u009b", "\ud800", "x\udfffy", "\udbff\udbff", "\u{1f4a5}"];
const SPECIAL_VALUES = ["", " ", "null", "undefined", "NaN", "-1", "0", "1e309", "__proto__", "constructor", "system", "APPROVED", "approved"];

/** A string of n characters, printed as Huge(n) in counterexamples instead of in full. */
class Huge {
  constructor(
    readonly n: number,
    readonly ch = "A",
  ) {}
  toJSON() {
    return this.ch.repeat(this.n);
  }
  [fc.toStringMethod]() {
    return `Huge(${this.n}×${JSON.stringify(this.ch)})`;
  }
}
const hugeString = fc.tuple(fc.integer({ min: 100_000, max: 200_000 }), fc.constantFrom("A", "<", "'", "é")).map(([n, ch]) => new Huge(n, ch));
/** A big array, printed by its size. */
class Many {
  constructor(
    readonly n: number,
    readonly item: unknown,
  ) {}
  toJSON() {
    return Array.from({ length: this.n }, () => this.item);
  }
  [fc.toStringMethod]() {
    return `Many(${this.n}×${JSON.stringify(this.item)})`;
  }
}
const hugeArray = fc.tuple(fc.integer({ min: 1_000, max: 40_000 }), fc.constantFrom<unknown>("x", 1, null, "prod", {})).map(([n, item]) => new Many(n, item));

const hostileString: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SQLI, ...HTML, ...LOOKALIKES, ...CONTROLS, ...SPECIAL_VALUES) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("\ud800", "\udc00", "a", "\u0000", "<"), maxLength: 12 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...HTML, ...SQLI), fc.string({ unit: "grapheme", maxLength: 20 })).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: hugeString },
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.constant([]),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), hostileString, { maxKeys: 3 }),
  hugeArray,
  fc.jsonValue({ maxDepth: 3 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 2, arbitrary: wrongType });

/** Fields a client must never be able to set. */
const MASS_ASSIGN: Record<string, unknown[]> = {
  state: ["APPROVED", "RUNNING", "SUCCEEDED"],
  resolution: ["approved", "rejected"],
  tenant: ["system"],
  tenant_id: ["system"],
  id: ["job-01ARZ3NDEKTSV4RRFFQ69G5FAV", "usr-admin"],
  created_at: ["2000-01-01T00:00:00Z"],
  updated_at: ["2000-01-01T00:00:00Z"],
  job_hash: ["0".repeat(64)],
  requested_by: ["agent:someone-else"],
  decision: ["ALLOW", "allow"],
  resolved_by: ["admin@system"],
  approved_snapshot: ["cfg:system:policy#sha256:" + "0".repeat(64)],
  claimed_by: ["agent:x"],
  roles: [["admin"]],
  scopes: [["admin", "approvals:resolve"]],
  is_admin: [true],
  admin: [true],
  disabled: [false, true],
  token_hash: ["0".repeat(64)],
  revoked_at: [null],
  password_hash: ["x"],
  active_snapshot_id: ["cfg:system:policy#sha256:" + "0".repeat(64)],
  requirements: [[]],
  ["__proto__"]: [{ state: "APPROVED", admin: true }],
  constructor: [{ prototype: { admin: true } }],
};

type Mutation = { kind: "set"; key: string; value: unknown } | { kind: "extra"; key: string; value: unknown } | { kind: "drop"; key: string };

function setOwn(o: Record<string, unknown>, key: string, value: unknown) {
  // defineProperty, so that "__proto__" becomes an own (serialised) key, not a prototype change.
  Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
}

function applyMutations(base: Record<string, unknown>, muts: Mutation[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) setOwn(out, k, v);
  for (const m of muts) {
    if (m.kind === "drop") delete out[m.key];
    else setOwn(out, m.key, m.value);
  }
  return out;
}

/** A raw request body, printed by its label rather than its (possibly huge) text. */
class RawBody {
  constructor(
    readonly label: string,
    readonly bytes: () => string | Uint8Array,
  ) {}
  [fc.toStringMethod]() {
    return `RawBody(${this.label})`;
  }
}

const nest = (n: number, open: string, inner: string, close: string) => open.repeat(n) + inner + close.repeat(n);

/** Bodies that are not a JSON object the schema could like: broken, deep, huge, odd bytes. */
const rawBody: fc.Arbitrary<RawBody> = fc.oneof(
  fc.json({ maxDepth: 4, stringUnit: "binary" }).map((t) => new RawBody(`json ${short(t, 80)}`, () => t)),
  fc.anything({ maxDepth: 3 }).map((v) => {
    const t = JSON.stringify(v) ?? "undefined";
    return new RawBody(`anything ${short(t, 80)}`, () => t);
  }),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => new RawBody(`[ ×${n}`, () => nest(n, "[", "", "]"))),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => new RawBody(`{"a": ×${n}`, () => nest(n, '{"a":', "1", "}"))),
  fc.integer({ min: 101, max: 10_000 }).map((n) => new RawBody(`payload nested ×${n}`, () => `{"topic":"job.repo.read","payload":${nest(n, '{"a":', "1", "}")}}`)),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => new RawBody(`unclosed [ ×${n}`, () => "[".repeat(n))),
  fc.integer({ min: 256 * 1024 + 1, max: 400 * 1024 }).map((n) => new RawBody(`oversize ${n}`, () => `{"title":"${"x".repeat(n)}"}`)),
  fc.constantFrom(
    new RawBody("empty", () => ""),
    new RawBody("whitespace", () => " \n\t "),
    new RawBody("null", () => "null"),
    new RawBody("string", () => '"hello"'),
    new RawBody("number", () => "42"),
    new RawBody("array", () => "[1,2,3]"),
    new RawBody("truncated", () => '{"topic":"job.repo.read","payload":{"a":'),
    new RawBody("trailing comma", () => '{"topic":"job.repo.read",}'),
    new RawBody("single quotes", () => "{'topic':'job.repo.read'}"),
    new RawBody("NaN", () => '{"a":NaN}'),
    new RawBody("1e999", () => '{"topic":"job.repo.read","payload":{"n":1e999},"reason":1e999,"days":1e999}'),
    new RawBody("escaped NUL", () => '{"topic":"job.repo.read","payload":{"k":"a\\u0000b"},"reason":"a\\u0000b","name":"\\u0000"}'),
    new RawBody("lone surrogate", () => '{"topic":"job.repo.read","payload":{"\\ud800":"\\udc00"},"reason":"\\ud800","title":"\\udfff"}'),
    new RawBody("__proto__", () => '{"__proto__":{"state":"APPROVED","admin":true},"topic":"job.repo.read","payload":{}}'),
    new RawBody("nested __proto__", () => '{"topic":"job.repo.read","payload":{"__proto__":{"x":1}}}'),
    new RawBody("duplicate keys", () => '{"topic":"job.repo.read","topic":"job.db.drop","payload":{},"payload":{}}'),
    new RawBody("invalid utf-8", () => new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xae, 0x22, 0x7d])),
    new RawBody("utf-16 bom", () => new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])),
    new RawBody("binary zeros", () => new Uint8Array(64)),
    new RawBody("form encoded", () => "topic=job.repo.read&payload=%7B%7D"),
    new RawBody("xml", () => '<?xml version="1.0"?><job><topic>job.repo.read</topic></job>'),
    new RawBody("html", () => "<html><script>window.__pwned=1</script></html>"),
    new RawBody("yaml bomb", () => 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'),
  ),
  fc.string({ unit: "binary", maxLength: 200 }).map((t) => new RawBody(`text ${short(JSON.stringify(t), 60)}`, () => t)),
);

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/problem+json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "text/plain",
  "text/html",
  "application/xml",
  "application/yaml",
  "application/octet-stream",
  "application/jsonx",
  "",
];

/** Query parameters: known names with hostile values, unknown names, repeats, huge values. */
function queryArb(known: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(known);
  const name = fc.oneof(
    { weight: 3, arbitrary: names.length ? fc.constantFrom(...names) : fc.constant("limit") },
    { weight: 1, arbitrary: fc.constantFrom("tenant", "state", "resolution", "__proto__", "constructor", "limit", "cursor", "window", "wait", "include_resolved", "x[]", "a.b") },
    { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 8 }) },
  );
  const validFor = (n: string) => (Object.hasOwn(known, n) ? known[n]! : fc.constant("1"));
  const value = (n: string) =>
    fc.oneof(
      { weight: 2, arbitrary: validFor(n) },
      { weight: 2, arbitrary: fc.constantFrom("-1", "0", "1e2", "0x10", "1.5", "99999999999", "NaN", "Infinity", "true", "TRUE", "null", "[]", "{}", " 10", "10 ", "+5", "٣", "１０", "7d; drop table jobs", "1y", "-7d") },
      { weight: 2, arbitrary: hostileString.map((s) => (s instanceof Huge ? s.toJSON() : String(s))) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
    );
  const pair = name.chain((n) => value(n).map((v) => [n, v] as [string, string]));
  const rawJunk = fc.constantFrom("", "&&&", "=", "a=%", "a=%zz", "limit=%C0%AE", "cursor=%FF%FE", "topic=%00", "wait=%2B1", "?", "#frag", "limit=1&limit=2", "include_resolved=true&include_resolved=false");
  const hostile = fc
    .tuple(fc.array(pair, { maxLength: 4 }), fc.boolean(), fc.option(rawJunk, { nil: undefined }))
    .map(([pairs, repeat, junk]) => {
      const q = new URLSearchParams();
      for (const [k, v] of pairs) q.append(k, v);
      if (repeat && pairs[0]) q.append(pairs[0][0], pairs[0][1]);
      const s = [q.toString(), junk].filter(Boolean).join("&");
      return s ? `?${s}` : "";
    });
  // Some valid queries too, so that the 2xx path (and what it may or may not store) is exercised.
  const valid = fc
    .subarray(names)
    .chain((ns) => (ns.length ? fc.tuple(...ns.map((n) => known[n]!.map((v) => [n, v] as [string, string]))) : fc.constant([] as [string, string][])))
    .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ""));
  return fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: hostile });
}

/** Path ids: SQL, dot segments, percent-encoded junk, 10k characters, Unicode, the right id of another tenant. */
const hostileId: fc.Arbitrary<{ kind: "valid" } | { kind: "foreign" } | { kind: "raw"; text: string }> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "valid" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "foreign" as const }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        ...SQLI.map(encodeURIComponent),
        "..",
        ".",
        "%2e%2e",
        "%2E",
        "..%2F..%2Fadmin",
        "%252e%252e",
        "%00",
        "a%00b",
        "%2F",
        "a%2Fb",
        "%5C..%5C",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%25",
        "%7B%7D",
        "%20",
        "%0A",
        "null",
        "undefined",
        "0",
        "-1",
        "job-",
        "job-01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "job-01arz3ndektsv4rrffq69g5fav",
        "__proto__",
        "constructor",
        "x".repeat(129),
        "x".repeat(10_000),
        encodeURIComponent("j\u043eb-01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        encodeURIComponent("\uff4a\uff4f\uff42"),
        encodeURIComponent("\u202e\u200d"),
      )
      .map((text) => ({ kind: "raw" as const, text })),
  },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 60 }).map((s) => ({ kind: "raw" as const, text: encodeURIComponent(s) })) },
  { weight: 1, arbitrary: fc.integer({ min: 129, max: 12_000 }).map((n) => ({ kind: "raw" as const, text: "j".repeat(n) })) },
);

// ---------------------------------------------------------------------------------------------------
// The worlds the fuzz runs in, and the rows it aims at.
// ---------------------------------------------------------------------------------------------------

const ADMIN_SCOPES = ["admin", "policy:read", "policy:write", "audit:read", "jobs:read", "approvals:read", "metrics:read"];
const PROD_WRITE = { topic: "job.config.update", risk_tags: ["prod", "write"] };
const ALLOWED = { topic: "job.repo.read", risk_tags: [] as string[] };

/** Round-robin over several tokens, so no single token carries the whole load (rate limits). */
function rotation(tokens: string[]): () => string {
  let i = 0;
  return () => tokens[i++ % tokens.length]!;
}

/** A row to aim at, made when first needed and made again once a request used it up. */
class Fresh<T> {
  private current?: Promise<T>;
  constructor(private readonly make: () => Promise<T>) {}
  get(): Promise<T> {
    return (this.current ??= this.make());
  }
  used(): void {
    this.current = undefined;
  }
  peek(): Promise<T> | undefined {
    return this.current;
  }
}

interface Job {
  id: string;
  token: string;
  hash: string;
  snapshot: string;
}

interface Fixtures {
  w: World;
  other: World;
  pol: World;
  agentTokens: string[];
  agent: () => string;
  reviewer: () => string;
  manager: () => string;
  admin: () => string;
  polAdmin: () => string;
  reviewers: Person[];
  victim: Person; // a user whose roles, name and state the PATCH fuzz may change
  allowedJob: Job; // APPROVED by policy: GET /jobs/{id}?wait=… answers at once
  foreignJob: Job; // the other tenant's
  foreignTokenId: string;
  foreignUserId: string;
  deliveryId: string;
  foreignDeliveryId: string;
  pending: Fresh<Job>;
  approved: Fresh<Job>;
  running: Fresh<Job>;
  cancellable: Fresh<Job>;
  victimToken: Fresh<string>;
  target: Fresh<string>;
  standing: Fresh<string>;
}

let F: Fixtures;

async function adminCall(method: string, p: string, body: unknown) {
  const res = await call(method, p, { token: ADMIN(), body });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function token(tenant: string, body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  return adminCall("POST", "/api/v1/admin/tokens", { tenant, ...body });
}

async function adminTokens(w: World, n: number): Promise<string[]> {
  const u = await adminCall("POST", "/api/v1/admin/users", { tenant: w.tenant, email: `fuzz-admin-${crypto.randomUUID().slice(0, 8)}@${w.tenant}.example`, roles: ["admin"] });
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await token(w.tenant, { kind: "user", name: `fuzz-admin-${i}`, scopes: ADMIN_SCOPES, user_id: u.id })).token);
  return out;
}

async function submitAs(tok: string, body: Record<string, unknown>): Promise<Job> {
  const res = await call("POST", "/api/v1/jobs", { token: tok, body: { payload: { n: crypto.randomUUID() }, ...body } });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.job.id, token: tok, hash: res.body.job_hash, snapshot: res.body.policy_snapshot };
}

async function setup(): Promise<Fixtures> {
  const [w, other, pol] = [await makeWorld("fuzz"), await makeWorld("fuzzb"), await makeWorld("fuzzpol")];
  const agentTokens: string[] = [];
  for (let i = 0; i < 6; i++) {
    agentTokens.push(
      (await token(w.tenant, { kind: "agent", name: `fuzz-bot-${i}`, scopes: ["jobs:submit", "jobs:read", "jobs:execute"], owner_email: w.agentOwner.email })).token,
    );
  }
  const reviewers: Person[] = [];
  for (let i = 0; i < 6; i++) reviewers.push(await w.person(["oncall"], "reviewer"));
  const managers: Person[] = [];
  for (let i = 0; i < 3; i++) managers.push(await w.person(["manager"], "manager"));
  const victim = await w.person(["developer"], "victim");
  const admins = await adminTokens(w, 5);
  const polAdmins = await adminTokens(pol, 3);
  const agent = rotation(agentTokens);

  const allowedJob = await submitAs(agentTokens[0]!, ALLOWED);
  const foreignJob = await submitAs(other.agent, PROD_WRITE);
  const foreignTokenId = (await token(other.tenant, { kind: "agent", name: "foreign-bot", scopes: ["jobs:read"] })).id;
  // A job with a callback that changes state leaves a delivery in the outbox (nobody sends it in tests).
  for (const [w_, tok] of [
    [w, agentTokens[1]!],
    [other, other.agent],
  ] as const) {
    const job = await submitAs(tok, { ...PROD_WRITE, callback_url: `https://callback.fuzz.example/${w_.tenant}` });
    const cancel = await call("POST", `/api/v1/jobs/${job.id}/cancel`, { token: tok, body: {} });
    if (cancel.status !== 200) throw new Error(`cancel: ${cancel.status} ${JSON.stringify(cancel.body)}`);
  }
  const [delivery] = await sql`select id from deliveries where tenant_id = ${w.tenant} limit 1`;
  const [foreignDelivery] = await sql`select id from deliveries where tenant_id = ${other.tenant} limit 1`;
  // The first signing secret is made on first read: make it now, so later GETs store nothing.
  for (const t of admins.slice(0, 1)) await call("GET", "/api/v1/admin/callback-secrets", { token: t });

  const admin = rotation(admins);
  return {
    w,
    other,
    pol,
    agentTokens,
    agent,
    reviewer: rotation(reviewers.map((p) => p.token)),
    manager: rotation(managers.map((p) => p.token)),
    admin,
    polAdmin: rotation(polAdmins),
    reviewers,
    victim,
    allowedJob,
    foreignJob,
    foreignTokenId,
    foreignUserId: other.agentOwner.id,
    deliveryId: delivery!.id,
    foreignDeliveryId: foreignDelivery!.id,
    pending: new Fresh(() => submitAs(agent(), PROD_WRITE)),
    approved: new Fresh(() => submitAs(agent(), ALLOWED)),
    running: new Fresh(async () => {
      const job = await submitAs(agent(), ALLOWED);
      const claim = await call("POST", `/api/v1/jobs/${job.id}/claim`, { token: job.token, body: { job_hash: job.hash } });
      if (claim.status !== 200) throw new Error(`claim: ${claim.status} ${JSON.stringify(claim.body)}`);
      return job;
    }),
    cancellable: new Fresh(() => submitAs(agent(), PROD_WRITE)),
    victimToken: new Fresh(async () => {
      const res = await call("POST", "/api/v1/admin/tokens", { token: admin(), body: { kind: "agent", name: "victim-bot", scopes: ["jobs:read"] } });
      if (res.status !== 201) throw new Error(`victim token: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    }),
    target: new Fresh(async () => {
      const res = await call("POST", "/api/v1/admin/notification-targets", { token: admin(), body: { url: "https://hooks.fuzz.example/victim", events: ["job.pending"] } });
      if (res.status !== 201) throw new Error(`target: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    }),
    // A standing approval granted by a reviewer, for an admin to revoke.
    standing: new Fresh(async () => {
      const job = await submitAs(agent(), PROD_WRITE);
      const res = await call("POST", `/api/v1/approvals/${job.id}/approve`, { token: reviewers[0]!.token, body: { reason: "stands", standing_for: "1h" } });
      if (res.status !== 200) throw new Error(`standing: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.standing_approval.id as string;
    }),
  };
}

// ---------------------------------------------------------------------------------------------------
// What each route and method expects: who may call it, its body fields and query parameters, the
// rows its path names, and how an accepted write must look in the database.
// ---------------------------------------------------------------------------------------------------

interface Target {
  params: Record<string, string>; // valid path params
  token: string;
  done?: () => void; // the row was used up by an accepted request
}

interface Spec {
  /** The caller and the row the path names (valid ids). */
  target: () => Promise<Target>;
  /** The other tenant's id for the same kind of row, to check isolation. */
  foreign?: () => string;
  /** Known body fields with valid values; required ones listed. Absent: the route reads no JSON body. */
  fields?: Record<string, fc.Arbitrary<unknown>>;
  required?: string[];
  /** The body is YAML text (PUT /policy). */
  yaml?: boolean;
  /** Known query parameters with valid values. */
  query?: Record<string, fc.Arbitrary<string>>;
  /** Extra request headers worth fuzzing. */
  headers?: Record<string, fc.Arbitrary<string>>;
  /** Never stores anything, whatever it answers. */
  readOnly?: boolean;
  /** After a 2xx write: the stored rows must be exactly what was sent, and nothing from unknown fields. */
  accepted?: (a: Ans, sent: any, t: Target) => Promise<void>;
}

const printable = (max: number) => fc.string({ unit: "grapheme", maxLength: max });
const withHtml = (max: number) => fc.oneof(printable(max), fc.constantFrom(...HTML, ...SQLI), fc.tuple(fc.constantFrom(...HTML), printable(20)).map(([a, b]) => a + b));
const windowQ = fc.constantFrom("24h", "7d", "30d");
const limitQ = fc.integer({ min: 1, max: 200 }).map(String);
const boolQ = fc.constantFrom("true", "false");

/** JSON, as the server will have parsed it (-0 → 0, key order irrelevant). */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));
const sortedUnique = (xs: string[] | undefined) => [...new Set(xs ?? [])].sort();

async function jobRow(id: string) {
  const [row] = await sql`select * from jobs where id = ${id}`;
  return row!;
}

const jobFields = () => ({
  topic: fc.constantFrom("job.repo.read", "job.config.update", "job.fuzz.thing", "job.ticket.update"),
  risk_tags: fc.constantFrom([], ["prod", "write"], ["egress"], ["fuzz", "fuzz"]),
  payload: fc.dictionary(fc.string({ unit: "grapheme", maxLength: 10 }), fc.jsonValue({ maxDepth: 2, stringUnit: "grapheme" }), { maxKeys: 4 }),
  title: withHtml(60),
  description: fc.oneof(withHtml(200), fc.constant("line one\nline two\twith a tab")),
  labels: fc.dictionary(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 10 }), withHtml(30), { maxKeys: 3 }),
  callback_url: fc.constantFrom("https://callback.fuzz.example/hook?x=%3Cscript%3E", "http://callback.fuzz.example/"),
  on_behalf_of: fc.constantFrom("someone@fuzz.example", "Mixed.Case@Fuzz.Example"),
});

async function acceptedJob(a: Ans, sent: any, t: Target) {
  const row = await jobRow(a.body.job.id);
  expect(row.tenant_id).toBe(F.w.tenant);
  expect(row.topic).toBe(sent.topic);
  expect(row.risk_tags).toEqual(sortedUnique(sent.risk_tags));
  expect(row.payload).toEqual(asJson(sent.payload));
  expect(row.title).toBe(sent.title ?? null);
  expect(row.description).toBe(sent.description ?? null);
  expect(row.labels).toEqual(sent.labels === undefined ? null : asJson(sent.labels));
  expect(row.callback_url).toBe(sent.callback_url ?? null);
  expect(row.on_behalf_of).toBe(sent.on_behalf_of?.toLowerCase() ?? null);
  // State and resolution come from the policy, never from the body.
  // (`claim: true` takes an allowed job straight on to RUNNING, as POST /jobs/{id}/claim would.)
  expect(sent.claim === true ? ["RUNNING", "APPROVAL", "DENIED"] : ["APPROVED", "APPROVAL", "DENIED"]).toContain(row.state);
  expect(row.resolution).toBeNull();
  expect(row.state).toBe(a.body.job.state);
  // And the API hands back exactly what was stored.
  const read = await call("GET", `/api/v1/jobs/${row.id}`, { token: t.token });
  expect(read.status).toBe(200);
  expect(read.body.job).toMatchObject({ title: row.title, description: row.description, topic: row.topic, payload: row.payload });
  expect(read.body.job.labels).toEqual(row.labels ?? {});
}

async function acceptedVote(vote: "approve" | "reject", a: Ans, sent: any, t: Target) {
  const row = await jobRow(t.params.job_id!);
  expect(row.tenant_id).toBe(F.w.tenant);
  expect(row.state).toBe(vote === "approve" ? "APPROVED" : "REJECTED");
  expect(row.resolution).toBe(vote === "approve" ? "approved" : "rejected");
  const votes = await sql`select * from votes where job_id = ${row.id}`;
  expect(votes).toHaveLength(1);
  expect(votes[0]!.reason).toBe(String(sent.reason).trim());
  expect(votes[0]!.note).toBe(sent.note ?? null);
  expect(votes[0]!.vote).toBe(vote);
}

function shippedSnapshot(tenant: string): string {
  const parsed = parsePolicy(DEFAULT_POLICY_YAML);
  if (!parsed.ok) throw new Error("the shipped policy does not parse");
  return policySnapshotId(tenant, parsed.policy);
}

function buildSpecs(): Record<string, Spec> {
  const asAgent = async (): Promise<Target> => ({ params: {}, token: F.agent() });
  const asAdmin = async (): Promise<Target> => ({ params: {}, token: F.admin() });
  const asManager = async (): Promise<Target> => ({ params: {}, token: F.manager() });
  const asReviewer = async (): Promise<Target> => ({ params: {}, token: F.reviewer() });
  const readJob = async (): Promise<Target> => ({ params: { id: F.allowedJob.id }, token: F.reviewer() });
  const vote = (v: "approve" | "reject"): Spec => ({
    target: async () => {
      const job = await F.pending.get();
      return { params: { job_id: job.id }, token: F.reviewer(), done: () => F.pending.used() };
    },
    foreign: () => F.foreignJob.id,
    fields: {
      reason: withHtml(100),
      note: fc.oneof(withHtml(200), fc.constant("two\nlines")),
      job_hash: fc.constant("<hash>"),
      policy_snapshot: fc.constant("<snapshot>"),
    },
    required: ["reason"],
    accepted: (a, sent, t) => acceptedVote(v, a, sent, t),
  });
  const adminQuery = { tenant: fc.constant("<own>") };

  return {
    "GET health": { target: async () => ({ params: {}, token: F.agent() }), readOnly: true },
    "GET ping": { target: async () => ({ params: {}, token: F.agent() }), readOnly: true },
    "GET metrics": { target: asManager, readOnly: true },
    // Catch-alls (any */[...rest] route file, with whatever methods it exports): unknown paths.
    ...Object.fromEntries(
      ROUTES_FOUND.filter((r) => r.rel.endsWith("[...rest]")).flatMap((r) =>
        r.methods.map((m) => [SPEC_KEY(m, r.rel), { target: async () => ({ params: { rest: "no/such/route" }, token: F.agent() }), readOnly: true } satisfies Spec]),
      ),
    ),
    "GET v1/openapi.json": { target: asAgent, readOnly: true },
    // Slack's signature is the credential; whatever the fuzzer sends is unsigned, so 401 and nothing stored
    // (signed requests: test/slack.test.ts).
    "POST v1/integrations/slack/interactions": { target: asAgent, readOnly: true },

    "POST v1/jobs": {
      target: asAgent,
      fields: { ...jobFields(), claim: fc.boolean() },
      required: ["topic", "payload"],
      headers: { "idempotency-key": fc.oneof(fc.string({ unit: "binary-ascii", maxLength: 300 }).filter((s) => /^[\t\x20-\x7e\x80-\xff]*$/.test(s)), fc.uuid()) },
      accepted: acceptedJob,
    },
    "GET v1/jobs": {
      target: asAgent,
      readOnly: true,
      query: {
        topic: fc.constantFrom("job.config.update", "job.repo.read"),
        job_hash: fc.constantFrom("0".repeat(64), "f".repeat(64)),
        limit: fc.integer({ min: 1, max: 50 }).map(String),
      },
    },
    "GET v1/jobs/[id]": { target: readJob, foreign: () => F.foreignJob.id, query: { wait: fc.constantFrom("0", "1", "55") }, readOnly: true },
    "GET v1/jobs/[id]/decisions": { target: readJob, foreign: () => F.foreignJob.id, readOnly: true },
    "POST v1/jobs/[id]/claim": {
      target: async () => {
        const job = await F.approved.get();
        return { params: { id: job.id }, token: job.token, done: () => F.approved.used() };
      },
      foreign: () => F.foreignJob.id,
      fields: { job_hash: fc.constant("<hash>"), policy_snapshot: fc.constant("<snapshot>") },
      required: ["job_hash"],
      accepted: async (a, _sent, t) => {
        const row = await jobRow(t.params.id!);
        expect(row.tenant_id).toBe(F.w.tenant);
        expect(row.state).toBe("RUNNING");
        expect(a.body).toMatchObject({ job_id: row.id, job_hash: row.job_hash, policy_snapshot: row.policy_snapshot });
      },
    },
    "POST v1/jobs/[id]/complete": {
      target: async () => {
        const job = await F.running.get();
        return { params: { id: job.id }, token: job.token, done: () => F.running.used() };
      },
      foreign: () => F.foreignJob.id,
      fields: { outcome: fc.constantFrom("succeeded", "failed"), detail: withHtml(200) },
      required: ["outcome"],
      accepted: async (_a, sent, t) => {
        const row = await jobRow(t.params.id!);
        expect(row.tenant_id).toBe(F.w.tenant);
        expect(row.state).toBe(sent.outcome === "succeeded" ? "SUCCEEDED" : "FAILED");
        expect(row.outcome_detail).toBe(sent.detail ?? null);
      },
    },
    "POST v1/jobs/[id]/cancel": {
      target: async () => {
        const job = await F.cancellable.get();
        return { params: { id: job.id }, token: job.token, done: () => F.cancellable.used() };
      },
      foreign: () => F.foreignJob.id,
      fields: { reason: withHtml(100) },
      required: [],
      accepted: async (_a, sent, t) => {
        const row = await jobRow(t.params.id!);
        expect(row.tenant_id).toBe(F.w.tenant);
        expect(row.state).toBe("CANCELLED");
        expect(row.resolution).toBe("cancelled");
        expect(row.resolved_reason).toBe(sent.reason ?? null);
      },
    },
    "GET v1/approvals": {
      target: asReviewer,
      readOnly: true,
      query: {
        include_resolved: boolQ,
        topic: fc.constantFrom("job.config.update", "job.repo.read"),
        risk_tag: fc.constantFrom("prod", "write"),
        rule_id: fc.constantFrom("prod-write-gate", "default"),
        actionable: boolQ,
        limit: limitQ,
        cursor: fc.constantFrom("eyJrIjoicCJ9", "x"),
      },
    },
    "GET v1/approvals/stream": { target: asReviewer, readOnly: true },
    "GET v1/approvals/standing": { target: asReviewer, readOnly: true },
    "DELETE v1/approvals/standing/[id]": {
      target: async () => ({ params: { id: await F.standing.get() }, token: F.admin(), done: () => F.standing.used() }),
      accepted: async (_a, _sent, t) => {
        const [row] = await sql`select * from standing_approvals where id = ${t.params.id!}`;
        expect(row!.tenant_id).toBe(F.w.tenant);
        expect(row!.revoked_at).not.toBeNull();
      },
    },
    "POST v1/approvals/[job_id]/approve": vote("approve"),
    "POST v1/approvals/[job_id]/reject": vote("reject"),

    "GET v1/policy": { target: asAdmin, readOnly: true },
    "PUT v1/policy": {
      target: async () => ({ params: {}, token: F.polAdmin() }),
      yaml: true,
      accepted: async (a, sent: string) => {
        const [snap] = await sql`select * from policy_snapshots where id = ${a.body.snapshot_id}`;
        expect(snap!.tenant_id).toBe(F.pol.tenant);
        expect(snap!.yaml).toBe(sent);
        const [tenant] = await sql`select active_snapshot_id from tenants where id = ${F.pol.tenant}`;
        expect(tenant!.active_snapshot_id).toBe(a.body.snapshot_id);
        const read = await call("GET", "/api/v1/policy", { token: F.polAdmin() });
        expect(read.body.yaml).toBe(sent);
      },
    },
    "GET v1/policy/snapshots": { target: asAdmin, readOnly: true },
    "GET v1/policy/budgets": { target: asAdmin, readOnly: true },
    // Every tenant starts with the shipped policy, so its snapshot id is known without a read.
    "POST v1/policy/snapshots/[id]/activate": {
      target: async () => ({ params: { id: shippedSnapshot(F.pol.tenant) }, token: F.polAdmin() }),
      foreign: () => shippedSnapshot(F.other.tenant),
      accepted: async (a, _sent, t) => {
        expect(a.body.snapshot_id).toBe(t.params.id);
        const [tenant] = await sql`select active_snapshot_id from tenants where id = ${F.pol.tenant}`;
        expect(tenant!.active_snapshot_id).toBe(t.params.id);
      },
    },
    "POST v1/policy/test": {
      target: asAdmin,
      readOnly: true,
      fields: {
        policy: fc.constantFrom(POLICY_YAML("ok")),
        tests: fc.constantFrom(
          "- name: read\n  job: { topic: job.repo.read }\n  expect: { decision: ALLOW }\n",
          "- name: <script>alert(1)</script>\n  job: { topic: job.config.update, risk_tags: [prod, write], payload: { a: 1 } }\n  expect: { decision: require_approval }\n",
          "[]",
        ),
      },
      required: ["policy", "tests"],
    },
    "POST v1/policy/simulate": {
      target: asAdmin,
      readOnly: true,
      fields: {
        yaml: fc.constantFrom(POLICY_YAML("ok")),
        job: fc.record({ topic: fc.constantFrom("job.repo.read", "job.config.update"), risk_tags: fc.constantFrom([], ["prod", "write"]), payload: fc.constant({}), title: withHtml(40) }, { requiredKeys: ["topic", "payload"] }),
        days: fc.integer({ min: 1, max: 90 }),
      },
      required: ["yaml"],
    },
    "GET v1/metrics/daily": { target: asManager, readOnly: true, query: { window: windowQ } },
    "GET v1/metrics/decisions": { target: asManager, readOnly: true, query: { window: windowQ, group_by: fc.constantFrom("overall", "rule", "topic", "approver", "tier") } },
    "GET v1/metrics/shadow": { target: asManager, readOnly: true, query: { window: windowQ } },
    "GET v1/audit": {
      target: asAdmin,
      readOnly: true,
      query: {
        job_id: fc.constant(F_JOB),
        type: fc.constantFrom("job.submitted", "vote.cast"),
        actor: fc.constantFrom("agent:fuzz-bot-0"),
        since: fc.constantFrom("2020-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59"),
        until: fc.constantFrom("2999-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z"),
        cursor: fc.constantFrom("0", "1", "999999999999999999"),
        limit: fc.integer({ min: 1, max: 1000 }).map(String),
      },
    },
    "GET v1/audit/export": {
      target: asAdmin,
      readOnly: true,
      query: { job_id: fc.constant(F_JOB), type: fc.constantFrom("job.submitted"), since: fc.constantFrom("0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59"), until: fc.constantFrom("9999-12-31T23:59:59Z") },
    },
    "GET v1/audit/verify": { target: asAdmin, readOnly: true },
    "POST v1/audit/verify": {
      target: asAdmin,
      readOnly: true,
      query: adminQuery,
      fields: {
        checkpoints: fc.constantFrom("", "\n", '{"v":1,"tenant":"x"}\n', CHECKPOINT_LINE),
        public_key: fc.constantFrom(CHECKPOINT_PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "bm90IGEga2V5"),
      },
      required: ["checkpoints"],
    },

    "POST v1/admin/tenants": {
      target: async () => ({ params: {}, token: ADMIN() }),
      fields: { id: fc.uuid().map((u) => `fz-${u.slice(0, 8)}`), name: withHtml(60) },
      required: ["id"],
      accepted: async (a, sent) => {
        const [row] = await sql`select * from tenants where id = ${sent.id}`;
        expect(row!.name).toBe(sent.name ?? sent.id);
        expect(row!.active_snapshot_id).toBe(a.body.policy_snapshot);
      },
    },
    "POST v1/admin/users": {
      target: asAdmin,
      fields: {
        tenant: fc.constant("<own>"),
        email: fc.uuid().map((u) => `  Fuzz-${u.slice(0, 8)}@Fuzz.Example `),
        name: withHtml(60),
        roles: fc.constantFrom([], ["oncall"], ["finance", "finance"]),
        password: fc.constant("a-long-enough-password"),
      },
      required: ["email"],
      accepted: async (a, sent) => {
        const [row] = await sql`select * from users where id = ${a.body.id}`;
        expect(row!.tenant_id).toBe(F.w.tenant);
        expect(row!.email).toBe(String(sent.email).trim().toLowerCase());
        expect(row!.name).toBe(sent.name ?? null);
        expect(row!.roles).toEqual(sortedUnique(sent.roles));
        expect(row!.disabled).toBe(false);
      },
    },
    "PATCH v1/admin/users/[id]": {
      target: async () => ({ params: { id: F.victim.id }, token: F.admin() }),
      foreign: () => F.foreignUserId,
      fields: { name: fc.oneof(withHtml(60), fc.constant(null)), roles: fc.constantFrom([], ["developer"], ["developer", "developer"]), disabled: fc.boolean() },
      required: [],
      accepted: async (_a, sent) => {
        const [row] = await sql`select * from users where id = ${F.victim.id}`;
        expect(row!.tenant_id).toBe(F.w.tenant);
        expect(row!.email).toBe(F.victim.email);
        if ("name" in sent) expect(row!.name).toBe(sent.name);
        if ("roles" in sent) expect(row!.roles).toEqual(sortedUnique(sent.roles));
        if ("disabled" in sent) expect(row!.disabled).toBe(sent.disabled);
      },
    },
    "POST v1/admin/tokens": {
      target: asAdmin,
      fields: {
        tenant: fc.constant("<own>"),
        kind: fc.constant("agent"),
        name: fc.constantFrom("fuzz-new-bot", "a.b@c", "X_1"),
        scopes: fc.constantFrom(["jobs:read"], ["jobs:submit", "jobs:read"]),
        owner_email: fc.constantFrom("Owner@Fuzz.Example"),
        expires_at: fc.constantFrom("2999-01-01T00:00:00Z", "2998-06-01T12:00:00+02:00"),
      },
      required: ["kind", "name", "scopes"],
      accepted: async (a, sent) => {
        const [row] = await sql`select * from tokens where id = ${a.body.id}`;
        expect(row!.tenant_id).toBe(F.w.tenant);
        expect(row!.kind).toBe(sent.kind);
        expect(row!.name).toBe(sent.name);
        expect(row!.scopes).toEqual(sortedUnique(sent.scopes));
        expect(row!.revoked_at).toBeNull();
        expect(row!.token_hash).toBe(crypto.createHash("sha256").update(a.body.token).digest("hex"));
        expect(row!.owner_email).toBe(sent.owner_email?.toLowerCase() ?? null);
        expect(row!.expires_at?.getTime() ?? null).toBe(sent.expires_at ? Date.parse(sent.expires_at) : null);
      },
    },
    "DELETE v1/admin/tokens/[id]": {
      target: async () => ({ params: { id: await F.victimToken.get() }, token: F.admin(), done: () => F.victimToken.used() }),
      foreign: () => F.foreignTokenId,
      accepted: async (_a, _sent, t) => {
        const [row] = await sql`select * from tokens where id = ${t.params.id!}`;
        expect(row!.tenant_id).toBe(F.w.tenant);
        expect(row!.revoked_at).not.toBeNull();
      },
    },
    "GET v1/admin/users": { target: asAdmin, readOnly: true, query: { ...adminQuery } },
    "GET v1/admin/tokens": { target: asAdmin, readOnly: true, query: { ...adminQuery, include_revoked: fc.constantFrom("true", "false") } },
    "POST v1/admin/users/[id]/password-link": {
      // The agent's owner: a person no other fuzz disables (a disabled person gets no link).
      target: async () => ({ params: { id: F.w.agentOwner.id }, token: F.admin() }),
      foreign: () => F.foreignUserId,
      accepted: async (a) => {
        expect(a.body.user_id).toBe(F.w.agentOwner.id);
        const [row] = await sql`select * from audit_events where type = 'user.password_link_issued' and tenant_id = ${F.w.tenant} order by id desc limit 1`;
        expect(row!.data.user_id).toBe(F.w.agentOwner.id);
      },
    },
    "GET v1/admin/deliveries": {
      target: asAdmin,
      readOnly: true,
      query: { ...adminQuery, job_id: fc.constant(F_JOB), state: fc.constantFrom("pending", "delivered", "failed"), limit: limitQ, cursor: fc.constantFrom("x", "eyJ9") },
    },
    "POST v1/admin/deliveries/[id]/redeliver": {
      target: async () => ({ params: { id: F.deliveryId }, token: F.admin() }),
      foreign: () => F.foreignDeliveryId,
      accepted: async (_a, _sent, t) => {
        const [row] = await sql`select * from deliveries where id = ${t.params.id!}`;
        expect(row!.tenant_id).toBe(F.w.tenant);
        expect(row!.state).toBe("pending");
      },
    },
    "GET v1/admin/notification-targets": { target: asAdmin, readOnly: true, query: adminQuery },
    "POST v1/admin/notification-targets": {
      target: asAdmin,
      fields: {
        tenant: fc.constant("<own>"),
        url: fc.constantFrom("https://hooks.fuzz.example/a?b=<script>", "http://hooks.fuzz.example/", "https://hooks.fuzz.example/%3Cimg%20src=x%3E"),
        events: fc.constantFrom(["job.pending"], ["job.pending", "job.pending"]),
        roles: fc.constantFrom([], ["oncall"]),
      },
      required: ["url"],
      accepted: async (a, sent) => {
        const [row] = await sql`select * from notification_targets where id = ${a.body.id}`;
        expect(row!.tenant_id).toBe(F.w.tenant);
        expect(row!.url).toBe(sent.url);
        expect(row!.roles).toEqual(sortedUnique(sent.roles));
      },
    },
    "DELETE v1/admin/notification-targets/[id]": {
      target: async () => ({ params: { id: await F.target.get() }, token: F.admin(), done: () => F.target.used() }),
      foreign: () => F.foreignJob.id,
      accepted: async (_a, _sent, t) => {
        expect(await sql`select 1 from notification_targets where id = ${t.params.id!}`).toHaveLength(0);
      },
    },
    "GET v1/admin/callback-secrets": { target: asAdmin, readOnly: true, query: adminQuery },
    "POST v1/admin/callback-secrets": {
      target: asAdmin,
      query: adminQuery,
      accepted: async (a) => {
        const [row] = await sql`select * from callback_secrets where id = ${a.body.id}`;
        expect(row!.tenant_id).toBe(F.w.tenant);
      },
    },
  };
}

// A log line that is a real checkpoint (for a tenant no chain has), signed by a key of the fuzz's own, and that key.
const CHECKPOINT_KEYS = crypto.generateKeyPairSync("ed25519");
const CHECKPOINT_PUBLIC_KEY = CHECKPOINT_KEYS.publicKey.export({ format: "der", type: "spki" }).toString("base64");
const CHECKPOINT_LINE = `${JSON.stringify(
  signCheckpoint({ tenant: "fuzz-elsewhere", seq: 3, hash: "a".repeat(64) }, new Date(), {
    id: publicKeyId(CHECKPOINT_KEYS.publicKey),
    privateKey: CHECKPOINT_KEYS.privateKey,
    publicKey: CHECKPOINT_KEYS.publicKey,
    publicKeyText: CHECKPOINT_PUBLIC_KEY,
  }),
)}\n`;

// Placeholders resolved when the request is built (fixtures do not exist when arbitraries are made).
const F_JOB = "<job>";
function resolvePlaceholders(v: unknown, t: Target, job?: Job): unknown {
  if (v === "<own>") return F.w.tenant;
  if (v === "<job>") return F.allowedJob.id;
  if (v === "<hash>") return job ? job.hash : "0".repeat(64);
  if (v === "<snapshot>") return job ? job.snapshot : "cfg:x:policy#sha256:" + "0".repeat(64);
  return v;
}

/** A valid policy with something hostile in its text fields. */
function POLICY_YAML(reason: string, title = "Review {{topic}}", extra = ""): string {
  return `version: v1
${extra}defaults:
  decision: require_approval
rules:
  - id: fuzz-rule
    match:
      topics: ["job.fuzz.*"]
    decision: require_approval
    reason: ${JSON.stringify(reason)}
    approvers: { roles: [oncall], count: 1 }
    summary:
      title: ${JSON.stringify(title)}
`;
}

const policyText: fc.Arbitrary<RawBody> = fc.oneof(
  fc
    .tuple(hostileString, fc.oneof(hostileString, fc.constant("Review {{topic}}")), fc.constantFrom("", "tenant: system\n", "state: APPROVED\n", "active: true\n"))
    .map(([r, t, extra]) => {
      const text = POLICY_YAML(r instanceof Huge ? r.toJSON() : String(r), t instanceof Huge ? t.toJSON() : String(t), extra);
      return new RawBody(`policy reason=${short(JSON.stringify(String(r)), 40)} extra=${JSON.stringify(extra)}`, () => text);
    }),
  rawBody,
);

// ---------------------------------------------------------------------------------------------------
// The properties.
// ---------------------------------------------------------------------------------------------------

const SPEC_KEY = (m: Method, rel: string) => `${m} ${rel}`;

/** Fill a route template with params, the id one replaced by a hostile or foreign id. */
function pathFor(route: RouteFile, t: Target, id: { kind: "valid" } | { kind: "foreign" } | { kind: "raw"; text: string }, foreign?: () => string): string {
  let p = route.template;
  for (const name of route.params) {
    let value: string;
    if (id.kind === "raw") value = id.text;
    else if (id.kind === "foreign" && foreign) value = encodeURIComponent(foreign());
    else value = name === "rest" ? (t.params[name] ?? "x") : encodeURIComponent(t.params[name] ?? "x");
    p = p.replace(`{${name}}`, value);
  }
  return p;
}

interface Stats {
  runs: number;
  ok: number;
  limited: number;
  statuses: Record<number, number>;
}
const stats = new Map<string, Stats>();
function note(key: string, a: Ans) {
  const s = stats.get(key) ?? { runs: 0, ok: 0, limited: 0, statuses: {} };
  s.runs++;
  if (ok(a)) s.ok++;
  if (limited(a)) s.limited++;
  s.statuses[a.status] = (s.statuses[a.status] ?? 0) + 1;
  stats.set(key, s);
}

interface Judge {
  sent?: unknown; // the body as the server will have parsed it, for the round-trip check
  massAssign?: boolean; // the body carries a field the route does not know
  verify?: boolean; // run the spec's round-trip check on a 2xx write
}

/** Send, judge, and check what was stored. */
async function exercise(key: string, route: RouteFile, method: Method, spec: Spec | undefined, r: Req, t: Target, judge: Judge = {}) {
  const before = await counts();
  const stateBefore = await mutableState();
  const a = await send(route, method, r);
  note(key, a);
  expectSound(method, r, a);
  const label = describeReq(method, r, a);
  if (!ok(a) || method === "GET" || spec?.readOnly) {
    expect(await counts(), `nothing may be stored: ${label}`).toEqual(before);
    if (method === "GET" || spec?.readOnly || !ok(a)) expect(await mutableState(), `nothing may change: ${label}`).toBe(stateBefore);
  }
  if (judge.massAssign && spec?.fields && !limited(a)) {
    // Strict schemas: an unknown field is refused as a whole, never half-applied (413 if it was huge).
    expect([400, 413], `unknown field must be refused: ${label}`).toContain(a.status);
  }
  if (ok(a) && method !== "GET") {
    if (judge.verify !== false && spec?.accepted) await spec.accepted(a, judge.sent, t);
    t.done?.();
  }
  return a;
}

// Loaded while the file is collected, so that each route and method gets a test of its own.
const ROUTES_FOUND: RouteFile[] = await loadRoutes();
const PAIRS = ROUTES_FOUND.flatMap((r) => r.methods.map((method) => ({ rel: r.rel, method })));
let SPEC: Record<string, Spec> = {};
const served = new Set<string>();

beforeAll(async () => {
  sql = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
  F = await setup();
  SPEC = buildSpecs();
  // A method a route does not serve answers 405; everything else must have a spec entry.
  for (const route of ROUTES_FOUND) {
    for (const m of route.methods) {
      if (SPEC[SPEC_KEY(m, route.rel)]) {
        served.add(SPEC_KEY(m, route.rel));
        continue;
      }
      const probePath = pathFor(route, { params: {}, token: "" }, { kind: "raw", text: "x" });
      const a = await send(route, m, { path: probePath, token: F.admin() });
      if (a.status !== 405 || a.body?.code !== "method_not_allowed") served.add(SPEC_KEY(m, route.rel));
    }
  }
}, 120_000);

afterAll(async () => {
  const lines = [...stats.entries()].map(([k, s]) => `${k.padEnd(48)} runs=${s.runs} 2xx=${s.ok} 429=${s.limited} ${JSON.stringify(s.statuses)}`);
  if (lines.length) console.log(`[fuzz] answers per route:\n${lines.join("\n")}`);
  await sql?.end();
});

describe("the route inventory", () => {
  it("finds every route file and every method, and each served one has a field-aware spec", () => {
    const dirs = routeDirs();
    expect(dirs.length).toBeGreaterThan(25);
    for (const rel of dirs) expect(ROUTES_FOUND.some((r) => r.rel === rel) || rel in ELSEWHERE, `route ${rel} is not fuzzed`).toBe(true);
    const missing = [...served].filter((k) => !SPEC[k]);
    expect(missing, "served methods without a fuzz spec: add them to SPEC in test/fuzz.test.ts").toEqual([]);
    // Every route the test table dispatches exists in the tree (a stale table would fuzz nothing).
    for (const rel of tableRoutes()) expect(dirs, `test/http.ts ROUTES names ${rel}`).toContain(rel);
    // And every spec names a route that exists.
    for (const key of Object.keys(SPEC)) {
      const [m, rel] = key.split(" ") as [Method, string];
      expect(ROUTES_FOUND.find((r) => r.rel === rel)?.methods ?? [], `SPEC ${key}`).toContain(m);
    }
  });
});

describe("hostile paths, query strings and headers: every route, every method", () => {
  for (const { rel, method } of PAIRS) {
    it(`${method} /api/${rel}`, async () => {
      const route = ROUTES_FOUND.find((r) => r.rel === rel)!;
      const key = SPEC_KEY(method, rel);
      const spec = SPEC[key];
      const isServed = served.has(key);
      const idArb = route.params.length ? hostileId : fc.constant({ kind: "valid" as const });
      const headerArb = fc.record(
        Object.fromEntries(Object.entries(spec?.headers ?? {}).map(([h, arb]) => [h, fc.option(arb, { nil: undefined })])),
      ) as fc.Arbitrary<Record<string, string | undefined>>;
      // A valid body, so that the path and query are what decides the answer.
      const validBody = spec?.fields
        ? fc.record(spec.fields as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: spec.required ?? [] })
        : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(idArb, queryArb(spec?.query ?? {}), headerArb, validBody, async (id, query, hdrs, body) => {
          const t = spec ? await spec.target() : { params: {}, token: F.admin() };
          const q = query.replaceAll("%3Cown%3E", F.w.tenant).replaceAll("%3Cjob%3E", F.allowedJob.id);
          const headers = Object.fromEntries(Object.entries(hdrs).filter(([, v]) => v !== undefined)) as Record<string, string>;
          const r: Req = { path: pathFor(route, t, id, spec?.foreign) + q, token: t.token, headers };
          let sent: unknown;
          if (method !== "GET" && spec?.yaml) {
            r.body = POLICY_YAML("a valid policy");
            headers["content-type"] = "application/yaml";
            sent = r.body;
          } else if (method !== "GET" && body) {
            const job = await currentJob(t);
            r.body = JSON.stringify(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, resolvePlaceholders(v, t, job)])));
            sent = JSON.parse(r.body);
            headers["content-type"] = "application/json";
          }
          const a = await exercise(`${key} (path/query)`, route, method, spec, r, t, { sent });
          if (id.kind === "foreign" && spec?.foreign && !limited(a)) {
            expect(a.status, `another tenant's row must be invisible: ${describeReq(method, r, a)}`).toBeGreaterThanOrEqual(400);
          }
        }),
        { numRuns: isServed ? 30 : 8 },
      );
    }, 60_000);
  }
});

describe("hostile bodies: every route and method that reads one", () => {
  for (const { rel, method } of PAIRS) {
    if (method === "GET") continue;
    it(`${method} /api/${rel}`, async () => {
      const route = ROUTES_FOUND.find((r) => r.rel === rel)!;
      const key = SPEC_KEY(method, rel);
      const spec = SPEC[key];
      const fields = spec?.fields ?? {};
      const names = Object.keys(fields);
      const valid =
        names.length > 0
          ? fc.record(fields as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: spec?.required ?? [] })
          : fc.constant({} as Record<string, unknown>);
      const unknownKeys = Object.keys(MASS_ASSIGN).filter((k) => !names.includes(k));
      const mutation: fc.Arbitrary<Mutation> = fc.oneof(
        names.length
          ? fc.tuple(fc.constantFrom(...names), hostileValue).map(([k, v]) => ({ kind: "set" as const, key: k, value: v }))
          : fc.constant({ kind: "drop" as const, key: "none" }),
        fc.constantFrom(...unknownKeys).chain((k) => fc.oneof(fc.constantFrom(...MASS_ASSIGN[k]!), hostileValue).map((v) => ({ kind: "extra" as const, key: k, value: v }))),
        fc.string({ unit: "binary", minLength: 1, maxLength: 12 }).filter((k) => !names.includes(k)).map((k) => ({ kind: "extra" as const, key: k, value: 1 })),
        (spec?.required ?? []).length ? fc.constantFrom(...spec!.required!).map((k) => ({ kind: "drop" as const, key: k })) : fc.constant({ kind: "drop" as const, key: "none" }),
      );
      const structured = fc.tuple(valid, fc.array(mutation, { minLength: 0, maxLength: 3 })).map(([v, muts]) => ({ kind: "json" as const, v, muts }));
      const raw = (spec?.yaml ? policyText : rawBody).map((b) => ({ kind: "raw" as const, b }));
      const body = fc.oneof({ weight: spec?.yaml ? 1 : 3, arbitrary: structured }, { weight: 2, arbitrary: raw });
      const contentType = fc.oneof(
        { weight: 5, arbitrary: fc.constant(spec?.yaml ? "application/yaml" : "application/json") },
        { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      );

      await fc.assert(
        fc.asyncProperty(body, contentType, async (b, ctype) => {
          const t = spec ? await spec.target() : { params: {}, token: F.admin() };
          const job = await currentJob(t);
          let text: string | Uint8Array;
          let sent: unknown;
          let massAssign = false;
          if (b.kind === "json") {
            const base = Object.fromEntries(Object.entries(b.v).map(([k, v]) => [k, resolvePlaceholders(v, t, job)]));
            const body = applyMutations(base, b.muts);
            massAssign = b.muts.some((m) => m.kind === "extra" && !names.includes(m.key));
            text = JSON.stringify(body);
            sent = JSON.parse(text);
          } else {
            text = b.b.bytes();
            sent = typeof text === "string" ? text : undefined;
          }
          const headers: Record<string, string> = ctype ? { "content-type": ctype } : {};
          const r: Req = { path: pathFor(route, t, { kind: "valid" }), token: t.token, body: text, headers };
          // An unknown field is only judged when the body could otherwise have been read as JSON.
          const judged = massAssign && /^application\/json\s*(;|$)/i.test(ctype) && !spec?.yaml && served.has(key);
          await exercise(`${key} (body)`, route, method, spec, r, t, { sent, massAssign: judged });
        }),
        { numRuns: served.has(key) ? (spec?.fields || spec?.yaml ? 60 : 25) : 6 },
      );
    }, 90_000);
  }
});

/** The job behind a target, for bodies that must carry its real job_hash. */
async function currentJob(t: Target): Promise<Job | undefined> {
  const id = t.params.id ?? t.params.job_id;
  if (!id) return undefined;
  for (const f of [F.pending, F.approved, F.running, F.cancellable]) {
    const job = await f.peek();
    if (job?.id === id) return job;
  }
  return undefined;
}

describe("hostile Authorization headers", () => {
  const junk = fc.oneof(
    fc.constantFrom("", "Bearer", "Bearer ", "Bearer  ", "Basic dXNlcjpwYXNz", "bearer cs_x", "Bearer cs_" + "A".repeat(10_000), "Bearer ' or 1=1 --", "Bearer <script>", "Bearer a b", "Token x", "Bearer\tx"),
    fc.string({ unit: "binary-ascii", maxLength: 60 }).filter((s) => /^[\t\x20-\x7e\x80-\xff]*$/.test(s)).map((s) => `Bearer ${s}`),
  );
  it("answer 401 unauthenticated as problem+json on every authenticated route, and store nothing", async () => {
    // Every served route but the public ones (health, ping, the OpenAPI document) and the catch-alls.
    const targets = PAIRS.filter((p) => !["health", "ping", "v1/openapi.json"].includes(p.rel) && !p.rel.endsWith("[...rest]") && served.has(SPEC_KEY(p.method, p.rel)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), junk, async ({ rel, method }, auth) => {
        const route = ROUTES_FOUND.find((r) => r.rel === rel)!;
        const t = await SPEC[SPEC_KEY(method, rel)]!.target();
        const r: Req = { path: pathFor(route, t, { kind: "valid" }), headers: { authorization: auth, "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" };
        const a = await exercise(`${method} ${rel} (auth)`, route, method, undefined, r, t);
        expect(a.status, describeReq(method, r, a)).toBe(401);
        expect(a.body.code).toBe("unauthenticated");
      }),
      { numRuns: 80 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------
// The worst inputs, written out: regressions that must stay fixed.
// ---------------------------------------------------------------------------------------------------

describe("regressions: the worst inputs, one by one", () => {
  const post = async (rel: string, r: Req, method: Method = "POST") => {
    const route = ROUTES_FOUND.find((x) => x.rel === rel)!;
    return exercise(`${method} ${rel} (regression)`, route, method, SPEC[SPEC_KEY(method, rel)], r, { params: {}, token: r.token ?? "" }, { verify: false });
  };
  const json = { "content-type": "application/json" };

  it.each([
    ["10k nested arrays", nest(10_000, "[", "", "]")],
    ["10k nested objects in payload", `{"topic":"job.repo.read","payload":${nest(10_000, '{"a":', "1", "}")}}`],
    ["101 nested objects in payload", `{"topic":"job.repo.read","payload":${nest(101, '{"a":', "1", "}")}}`],
    ["truncated JSON", '{"topic":"job.repo.read","payload":{"a":[1,2'],
    ["NUL escape in title", '{"topic":"job.repo.read","payload":{},"title":"a\\u0000b"}'],
    ["lone surrogate in payload key", '{"topic":"job.repo.read","payload":{"\\ud800":1}}'],
    ["number overflowing to Infinity", '{"topic":"job.repo.read","payload":{"n":1e400}}'],
    ["__proto__ mass assignment", '{"topic":"job.repo.read","payload":{},"__proto__":{"state":"APPROVED"}}'],
    ["state mass assignment", '{"topic":"job.config.update","risk_tags":["prod","write"],"payload":{},"state":"APPROVED","resolution":"approved"}'],
    ["tenant mass assignment", '{"topic":"job.repo.read","payload":{},"tenant":"system","tenant_id":"system"}'],
    ["Cyrillic look-alike topic", '{"topic":"j\\u043eb.prod.deploy","risk_tags":[],"payload":{}}'],
    ["full-width dots", '{"topic":"job\\uff0eprod\\uff0edeploy","payload":{}}'],
    ["zero-width joiner", '{"topic":"job.prod\\u200d.deploy","payload":{}}'],
    ["SQL in topic", `{"topic":"job'; drop table jobs; --","payload":{}}`],
    ["HTML in risk tag", '{"topic":"job.repo.read","risk_tags":["<script>"],"payload":{}}'],
    ["control characters in title", '{"topic":"job.repo.read","payload":{},"title":"a\\u001b[31mb"}'],
    ["javascript: callback", '{"topic":"job.repo.read","payload":{},"callback_url":"javascript:alert(1)"}'],
    ["200k title", `{"topic":"job.repo.read","payload":{},"title":"${"x".repeat(200_000)}"}`],
    ["50k risk tags", `{"topic":"job.repo.read","payload":{},"risk_tags":[${Array(50_000).fill('"a"').join(",")}]}`],
  ])("POST /jobs refuses %s with 400 and stores nothing", async (_name, body) => {
    const a = await post("v1/jobs", { path: "/api/v1/jobs", token: F.agent(), body, headers: json });
    expect([400, 413]).toContain(a.status);
    expect(["validation_failed", "invalid_json", "payload_too_large"]).toContain(a.body.code);
  });

  it("POST /jobs refuses a body over 256 KiB with 413", async () => {
    const a = await post("v1/jobs", { path: "/api/v1/jobs", token: F.agent(), body: `{"topic":"job.repo.read","payload":{"x":"${"x".repeat(300_000)}"}}`, headers: json });
    expect(a.status).toBe(413);
    expect(a.body.code).toBe("payload_too_large");
  });

  it("POST /jobs with a wrong content type answers 415, with an empty body 400", async () => {
    const wrong = await post("v1/jobs", { path: "/api/v1/jobs", token: F.agent(), body: '{"topic":"job.repo.read","payload":{}}', headers: { "content-type": "text/html" } });
    expect(wrong.status).toBe(415);
    expect(wrong.body.code).toBe("unsupported_media_type");
    const empty = await post("v1/jobs", { path: "/api/v1/jobs", token: F.agent(), body: "", headers: json });
    expect(empty.status).toBe(400);
  });

  it("HTML and SQL in every free-text field of a job are stored and returned verbatim", async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>\'; drop table jobs; --';
    const body = {
      topic: "job.repo.read",
      payload: { [evil]: evil, nested: [evil, { evil }] },
      title: evil,
      description: `${evil}\njavascript:alert(1)`,
      labels: { [evil.slice(0, 90)]: evil },
    };
    const a = await post("v1/jobs", { path: "/api/v1/jobs", token: F.agent(), body: JSON.stringify(body), headers: json });
    expect(a.status).toBe(201);
    await acceptedJob(a, body, { params: {}, token: F.agentTokens[0]! });
  });

  it("a vote's reason and note with HTML are stored verbatim; mass assignment in a vote is refused", async () => {
    const job = await submitAs(F.agent(), PROD_WRITE);
    const reviewer = F.reviewers[0]!.token;
    const mass = await post("v1/approvals/[job_id]/approve", {
      path: `/api/v1/approvals/${job.id}/approve`,
      token: reviewer,
      body: JSON.stringify({ reason: "ok", resolution: "approved", state: "APPROVED", voter: "admin@system", roles: ["admin"] }),
      headers: json,
    });
    expect(mass.status).toBe(400);
    expect((await jobRow(job.id)).state).toBe("APPROVAL");
    const reason = '<script>window.__pwned=1</script> looks fine';
    const note = '<img src=x onerror="window.__pwned=1">\nsecond line';
    const a = await post("v1/approvals/[job_id]/reject", { path: `/api/v1/approvals/${job.id}/reject`, token: reviewer, body: JSON.stringify({ reason: `  ${reason}  `, note }), headers: json });
    expect(a.status).toBe(200);
    await acceptedVote("reject", a, { reason, note }, { params: { job_id: job.id }, token: reviewer });
  });

  it("claim and complete refuse extra fields and leave the job where it was", async () => {
    const job = await submitAs(F.agent(), ALLOWED);
    const claim = await post("v1/jobs/[id]/claim", { path: `/api/v1/jobs/${job.id}/claim`, token: job.token, body: JSON.stringify({ job_hash: job.hash, state: "SUCCEEDED" }), headers: json });
    expect(claim.status).toBe(400);
    expect((await jobRow(job.id)).state).toBe("APPROVED");
    const good = await call("POST", `/api/v1/jobs/${job.id}/claim`, { token: job.token, body: { job_hash: job.hash } });
    expect(good.status).toBe(200);
    const done = await post("v1/jobs/[id]/complete", { path: `/api/v1/jobs/${job.id}/complete`, token: job.token, body: JSON.stringify({ outcome: "succeeded", resolution: "approved", tenant: "system" }), headers: json });
    expect(done.status).toBe(400);
    expect((await jobRow(job.id)).state).toBe("RUNNING");
  });

  it("PATCH of a user refuses email, tenant and id, and a foreign user answers 404 untouched", async () => {
    const before = await sql`select * from users where id = ${F.foreignUserId}`;
    for (const extra of [{ email: "evil@fuzz.example" }, { tenant: "system" }, { tenant_id: "system" }, { id: "usr-x" }, { password_hash: "x" }]) {
      const a = await post("v1/admin/users/[id]", { path: `/api/v1/admin/users/${F.victim.id}`, token: F.admin(), body: JSON.stringify({ roles: ["admin"], ...extra }), headers: json }, "PATCH");
      expect(a.status).toBe(400);
    }
    const foreign = await post("v1/admin/users/[id]", { path: `/api/v1/admin/users/${F.foreignUserId}`, token: F.admin(), body: JSON.stringify({ roles: ["admin"], disabled: true }), headers: json }, "PATCH");
    expect(foreign.status).toBe(404);
    expect(await sql`select * from users where id = ${F.foreignUserId}`).toEqual(before);
  });

  it("a tenant admin cannot revoke another tenant's token, nor name another tenant", async () => {
    const a = await post("v1/admin/tokens/[id]", { path: `/api/v1/admin/tokens/${F.foreignTokenId}`, token: F.admin() }, "DELETE");
    expect(a.status).toBe(404);
    const [row] = await sql`select revoked_at from tokens where id = ${F.foreignTokenId}`;
    expect(row!.revoked_at).toBeNull();
    const other = await post("v1/admin/users", { path: "/api/v1/admin/users", token: F.admin(), body: JSON.stringify({ tenant: F.other.tenant, email: "x@fuzz.example", roles: ["admin"] }), headers: json });
    expect(other.status).toBe(403);
    const agentAdmin = await post("v1/admin/tokens", {
      path: "/api/v1/admin/tokens",
      token: F.admin(),
      body: JSON.stringify({ kind: "agent", name: "evil", scopes: ["approvals:resolve", "admin"] }),
      headers: json,
    });
    expect(agentAdmin.status).toBe(400);
  });

  it("a token expiry far in the future with an extreme offset is refused, not a 500", async () => {
    // 9999-12-31T23:59:59-23:59 is year 10000 in UTC: zod accepts the text, PostgreSQL refuses the value.
    const a = await post("v1/admin/tokens", {
      path: "/api/v1/admin/tokens",
      token: F.admin(),
      body: JSON.stringify({ kind: "agent", name: "far-future", scopes: ["jobs:read"], expires_at: "9999-12-31T23:59:59-23:59" }),
      headers: json,
    });
    expect(a.status).toBe(400);
    expect(a.body.code).toBe("validation_failed");
  });

  it("GET /audit?since= an instant in year 10000 (valid text, extreme offset) lists nothing, not everything", async () => {
    // 9999-12-31T23:59:59-23:59 is 10000-01-01T23:58:59Z: no event can be that late. Refusing it is fine too.
    const a = await post("v1/audit", { path: `/api/v1/audit?since=${encodeURIComponent("9999-12-31T23:59:59-23:59")}`, token: F.admin() }, "GET");
    if (a.status === 200) expect(a.body.items).toEqual([]);
    else expect(a.body.code).toBe("validation_failed");
  });

  it.each([
    ["a NUL escape in a double-quoted scalar", POLICY_YAML("a\u0000b")],
    ["a lone surrogate escape", POLICY_YAML("a\ud800b")],
    ["a raw NUL byte in a comment", `# a\u0000b\n${POLICY_YAML("fine")}`],
    ["a raw NUL byte in a plain scalar", POLICY_YAML("fine").replace('"fine"', "fi\u0000ne")],
  ])("PUT /policy with %s is refused with 400 invalid_policy, not a 500, and activates nothing", async (_name, yaml) => {
    const a = await post("v1/policy", { path: "/api/v1/policy", token: F.polAdmin(), body: yaml, headers: { "content-type": "application/yaml" } }, "PUT");
    expect(a.status).toBe(400);
    expect(a.body.code).toBe("invalid_policy");
  });

  it("PUT /policy keeps HTML in a reason verbatim, and refuses unknown top-level keys", async () => {
    const yaml = POLICY_YAML('<script>window.__pwned=1</script>', "<img src=x onerror=alert(1)> {{topic}}");
    const a = await post("v1/policy", { path: "/api/v1/policy", token: F.polAdmin(), body: yaml, headers: { "content-type": "application/yaml" } }, "PUT");
    expect(a.status).toBe(200);
    await SPEC["PUT v1/policy"]!.accepted!(a, yaml, { params: {}, token: "" });
    const extra = await post("v1/policy", { path: "/api/v1/policy", token: F.polAdmin(), body: POLICY_YAML("x", "y", "tenant: system\n"), headers: { "content-type": "application/yaml" } }, "PUT");
    expect(extra.status).toBe(400);
    expect(extra.body.code).toBe("invalid_policy");
  });

  it.each(
    (
      [
        ["v1/approvals", "/api/v1/approvals?limit=10&limit=20"],
        ["v1/approvals", "/api/v1/approvals?limit=" + "9".repeat(100_000)],
        ["v1/approvals", "/api/v1/approvals?topic=" + encodeURIComponent("j\u043eb.prod.deploy")],
        ["v1/approvals", "/api/v1/approvals?cursor=" + "A".repeat(100_000)],
        ["v1/approvals", "/api/v1/approvals?include_resolved=yes"],
        ["v1/metrics/decisions", "/api/v1/metrics/decisions?window=1y"],
        ["v1/metrics/decisions", "/api/v1/metrics/decisions?window=7d&window=30d"],
        ["v1/audit", "/api/v1/audit?limit=-1"],
        ["v1/audit", "/api/v1/audit?cursor=9999999999999999999"],
        ["v1/audit", "/api/v1/audit?since=2024-02-31T00:00:00Z"],
        ["v1/jobs/[id]", `/api/v1/jobs/${"x".repeat(10_000)}`],
        ["v1/jobs/[id]", "/api/v1/jobs/%27%3B%20drop%20table%20jobs%3B%20--"],
      ] as [string, string][]
    ).map(([rel, p]) => [rel, p.length > 120 ? `${p.slice(0, 100)}… (${p.length} chars)` : p, p] as const),
  )("GET %s %s answers a 4xx problem", async (rel, _name, p) => {
    const token = rel.startsWith("v1/audit") ? F.admin() : rel.startsWith("v1/metrics") ? F.manager() : F.reviewer();
    const a = await post(rel, { path: p, token }, "GET");
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(a.status).toBeLessThan(500);
  });

  it("the audit chains of every tenant the fuzz touched still verify", async () => {
    for (const [w, tok] of [
      [F.w, F.admin()],
      [F.pol, F.polAdmin()],
    ] as const) {
      const v = await call("GET", "/api/v1/audit/verify", { token: tok });
      expect(v.status, w.tenant).toBe(200);
      expect(v.body.ok, JSON.stringify(v.body)).toBe(true);
    }
  });
});
