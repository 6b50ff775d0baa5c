import type { z } from "zod";
import { Invalid, PayloadTooLarge, UnsupportedMediaType } from "@/lib/services/errors";
import { zodErrors } from "./problem";

export const MAX_BODY_BYTES = 256 * 1024;

/** Read the raw body, refusing (413) anything over the limit without buffering all of it. */
export async function readText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLarge(limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
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
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Invalid("The request body did not validate.", zodErrors(parsed.error));
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams.entries());
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new Invalid("The query string did not validate.", zodErrors(parsed.error));
  return parsed.data;
}
