import type { z } from "zod";
import { Invalid, PayloadTooLarge, UnsupportedMediaType } from "@/lib/services/errors";
import type { FieldError } from "@/lib/services/errors";
import { isStorable } from "@/lib/text";
import { zodErrors } from "./problem";

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_JSON_DEPTH = 100;

/**
 * JSON.parse accepts values that cannot be stored or hashed faithfully: U+0000 and lone surrogates
 * (PostgreSQL jsonb refuses them), numbers that overflow to Infinity (no JSON spelling, RFC 8785
 * refuses them), `__proto__` keys (dropped silently when the schemas copy objects, so what is stored
 * and hashed would differ from what was sent), and nesting deep enough to exhaust the stack of the
 * recursive canonicalizer. Refuse them up front as 400 instead of a 500 or a silent change.
 * Iterative, so the check itself cannot overflow.
 */
function unstorable(root: unknown): FieldError | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: "", depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    const at = path || "(body)";
    if (typeof value === "number" && !Number.isFinite(value)) return { path: at, message: "number out of range" };
    if (typeof value === "string" && !isStorable(value)) {
      return { path: at, message: "strings may not contain U+0000 or unpaired surrogates" };
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) return { path: at, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key === "__proto__") return { path: childPath, message: "the key __proto__ is not allowed" };
      if (!isStorable(key)) return { path: childPath, message: "keys may not contain U+0000 or unpaired surrogates" };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * The first object key that appears twice in one object, or null. JSON.parse keeps the last of them
 * silently, so a body could read one way to a proxy, a log or a reviewer's tool and another way here;
 * I-JSON (RFC 7493) forbids duplicates, and so do we. Runs on text JSON.parse has already accepted,
 * in one pass; keys are compared after unescaping ("\u0074opic" is "topic").
 */
export function duplicateKey(text: string): string | null {
  const objects: (Set<string> | null)[] = []; // null for arrays
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) break;
        else j += 1;
      }
      if (expectKey) {
        const raw = text.slice(i, j + 1);
        const key = raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const keys = objects[objects.length - 1]!;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b) {
      objects.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      objects.push(null);
    } else if (c === 0x7d || c === 0x5d) {
      objects.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = objects[objects.length - 1] != null;
    }
  }
  return null;
}

const UTF8 = new TextDecoder("utf-8", { fatal: false });

/** Read the raw body, refusing (413) anything over the limit without buffering all of it. */
export async function readText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLarge(limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client went away mid-body: nothing to answer and nothing stored.
      throw new Invalid("The request body was cut off before it ended.", undefined, "body_incomplete");
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}

function isJson(req: Request): boolean {
  const type = req.headers.get("content-type");
  // A missing content type is tolerated (curl -d sends form encoding by default; the body decides).
  return !type || /^application\/([\w.+-]*\+)?json\b/i.test(type) || /^application\/x-www-form-urlencoded\b/i.test(type);
}

/** Parse and validate a JSON body with the route's zod schema. Unknown fields are refused by the schemas. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  if (!isJson(req)) throw new UnsupportedMediaType("application/json");
  const text = await readText(req);
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : JSON.parse(text);
  } catch (e) {
    throw new Invalid(`The body is not valid JSON: ${(e as Error).message}`, undefined, "invalid_json");
  }
  const twice = duplicateKey(text);
  if (twice !== null) {
    throw new Invalid(`The body names the key "${twice}" twice in one object; which one was meant?`, [{ path: twice, message: "duplicate key" }], "invalid_json");
  }
  const bad = unstorable(raw);
  if (bad) throw new Invalid("The request body holds a value that cannot be stored as sent.", [bad]);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Invalid("The request body did not validate.", zodErrors(parsed.error));
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URL(req.url).searchParams) {
    // A repeated parameter is ambiguous (which one counts?) and NUL can never be stored or matched.
    if (key in params) throw new Invalid(`The query parameter ${key} is given twice.`, [{ path: key, message: "given twice" }]);
    if (key.includes("\u0000") || value.includes("\u0000")) {
      throw new Invalid("The query string holds a NUL character.", [{ path: key, message: "NUL is not allowed" }]);
    }
    params[key] = value;
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new Invalid("The query string did not validate.", zodErrors(parsed.error));
  return parsed.data;
}
