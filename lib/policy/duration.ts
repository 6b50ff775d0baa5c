// Durations are a positive integer and one unit. Nothing fancier ("1h30m", "0s", "1.5h") is accepted,
// so a policy reads the same to every reviewer. At most 9 digits keeps every value a safe integer.
export const DURATION_RE = /^[1-9][0-9]{0,8}[smhd]$/;

/**
 * The longest duration a policy may give (DESIGN §2.1): a deadline `created_at + 365d` is always a
 * timestamp PostgreSQL and JavaScript both carry, where `3000000d` was not (every submission failed).
 */
export const MAX_DURATION_SEC = 365 * 86_400;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in `90s`, `30m`, `4h`, `7d`; throws on anything else. */
export function parseDuration(s: string): number {
  if (!DURATION_RE.test(s)) {
    throw new Error(`invalid duration "${s}": expected a positive integer and a unit (s, m, h, d), e.g. 90s, 30m, 4h, 7d`);
  }
  const unit = UNIT_SECONDS[s.slice(-1)] ?? 1;
  return Number(s.slice(0, -1)) * unit;
}

/**
 * Seconds of a policy duration as evaluation uses them: never beyond the cap. Uploads refuse longer
 * ones; a snapshot stored before the cap existed is read capped (a shorter wait is the stricter side)
 * instead of producing deadlines no database can store.
 */
export function policyDurationSec(s: string): number {
  return Math.min(parseDuration(s), MAX_DURATION_SEC);
}
