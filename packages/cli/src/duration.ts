/** A duration such as `50s`, `2m` or `500ms`, in milliseconds; a bare number counts seconds. */
export function parseDuration(input: string | number): number | null {
  if (typeof input === "number") return Number.isFinite(input) && input >= 0 ? input * 1000 : null;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(input.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return unit === "ms" ? n : unit === "s" ? n * 1000 : n * 60_000;
}

/** The longest hold: one long poll of `GET /jobs/{id}?wait=55`, inside an MCP client's usual 60 s timeout. */
export const MAX_HOLD_MS = 55_000;
export const DEFAULT_HOLD_MS = 50_000;
