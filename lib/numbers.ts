/** Integers are exact in a double up to 2^53 − 1: I-JSON's interoperable range (RFC 7493 §2.2). */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/**
 * Why a number, parsed to `value` from its written `source`, cannot be carried exactly by JSON, or
 * null. Refused: beyond ±(2^53−1) (every double there is an integer, so the source was a big integer
 * or lost its fraction), out of the double's range (overflow to ±Infinity, or a non-zero source that
 * underflows to 0), and NaN. A decimal such as 0.1, near but not exactly a double, is ordinary JSON.
 * Used for request bodies and policy YAML alike, so both refuse the same numbers with the same words.
 */
export function inexactNumber(value: number, source: string): string | null {
  if (Number.isNaN(value)) return "is not a number JSON can carry";
  if (!Number.isFinite(value)) return "is too large for a JSON number (it overflows)";
  if (Math.abs(value) > MAX_EXACT) return "is beyond ±(2^53−1), where JSON numbers stop being exact";
  // Zero written with a non-zero digit before any exponent: it underflowed.
  if (value === 0 && /[1-9]/.test(source.split(/[eE]/)[0]!)) return "is too small for a JSON number (it underflows to 0)";
  return null;
}
