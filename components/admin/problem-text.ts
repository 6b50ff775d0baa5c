import { ApiError } from "@/lib/client/api";

/** An API refusal in words for the admin pages; field errors name the field. */
export function problemText(err: unknown, known: Record<string, string> = {}): string {
  if (!(err instanceof ApiError)) return "The server could not be reached. Nothing was changed; try again.";
  if (known[err.code]) return known[err.code]!;
  const fields = err.errors?.map((e) => `${e.path || "form"}: ${e.message}`).join("; ");
  return fields ? `${err.detail} (${fields})` : err.detail;
}

/** "a, b , c" → ["a", "b", "c"], lower-cased as roles are stored. */
export const parseRoles = (text: string) => [...new Set(text.split(/[\s,]+/).map((r) => r.trim().toLowerCase()).filter(Boolean))];
