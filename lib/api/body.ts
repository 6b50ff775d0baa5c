import type { z } from "zod";
import { Invalid, PayloadTooLarge, UnsupportedMediaType } from "@/lib/services/errors";
import type { FieldError } from "@/lib/services/errors";
import { isStorable } from "@/lib/text";
import { jsonTextIssue } from "./json-text";
import { zodErrors } from "./problem";

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_JSON_DEPTH = 100;

/**
 * JSON.parse accepts values that cannot be stored or hashed faithfully: U+0000 and lone surrogates
 * (PostgreSQL jsonb refuses them), `__proto__` keys (dropped silently when the schemas copy objects,
 * so what is stored and hashed would differ from what was sent), and nesting deep enough to exhaust
 * the stack of the recursive canonicalizer. Refuse them up front as 400 instead of a 500 or a silent
 * change. Iterative, so the check itself cannot overflow. (Rounded numbers, repeated keys: json-text.ts.)
 */
function unstorable(root: unknown): FieldError | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: "", depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    const at = path || "(body)";
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

// Fatal: a byte sequence that is not UTF-8 is refused, never replaced by U+FFFD (what would be stored,
// hashed and shown would then differ from what the sender holds and will run).
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Read the raw body as UTF-8 text, refusing (413) anything over the limit without buffering all of it
 * and (400) anything that is not UTF-8.
 */
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
  try {
    return UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  } catch {
    throw new Invalid("The request body is not valid UTF-8; nothing was stored.", [{ path: "(body)", message: "not valid UTF-8" }]);
  }
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
  const issue = jsonTextIssue(text);
  if (issue?.kind === "duplicate_key") {
    throw new Invalid(`The body names the key "${issue.text}" twice in one object; which one was meant?`, [{ path: issue.path, message: issue.message }], "invalid_json");
  }
  if (issue) {
    throw new Invalid("The request body holds a number JSON cannot carry exactly; send such values as strings.", [{ path: issue.path || "(body)", message: issue.message }]);
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
