import { z } from "zod";
import { Invalid } from "./errors";

/**
 * Opaque cursors (base64url JSON) handed out by the listings, and their decoding. A cursor comes back
 * from the client, so it is input like any other: decoded in full (shape, types, instants that exist
 * and PostgreSQL can hold, well-formed ids) and refused as 400 `invalid_cursor`, never passed on to
 * fail in the database as a 500.
 */

export function cursorRefused(): Invalid {
  return new Invalid("The cursor is not one this listing handed out.", [{ path: "cursor", message: "invalid cursor" }], "invalid_cursor");
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * An instant as the listings write them (`toISOString()`): UTC with milliseconds, from 1970 to 9999,
 * and a real one (2024-02-30 would be read as March 1st: refused, as it was never written).
 */
export const CursorInstant = z.string().refine((s) => {
  if (!ISO_MS.test(s)) return false;
  const t = Date.parse(s);
  return Number.isFinite(t) && t >= 0 && new Date(t).toISOString() === s;
});

/** Every id we hand out (job-…, dlv-…, dlv-n-<base64url>) fits this. */
export const CursorId = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/);

/** A sequence number (audit event id): plain digits, an exact integer. */
export const CursorSeq = z.string().regex(/^(0|[1-9]\d{0,15})$/).transform(Number).refine(Number.isSafeInteger);

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The cursor's value as `schema` reads it, or 400 `invalid_cursor`. */
export function decodeCursor<S extends z.ZodType>(raw: string, schema: S): z.infer<S> {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw cursorRefused();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw cursorRefused();
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw cursorRefused();
  return parsed.data;
}
