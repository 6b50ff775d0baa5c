import "server-only";
// Time-to-decision as a log-bucket histogram (the DDSketch construction): bucket i holds the values in
// (γ^(i-1), γ^i], and answering with 2γ^i/(γ+1) is within ±1% of every value in it. Histograms of
// different days merge by adding counts, which exact percentiles cannot do.

const ALPHA = 0.01;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LN_GAMMA = Math.log(GAMMA);
/** Below a millisecond a decision counts as instant: one bucket for all of them, answered as 0. */
const MIN_VALUE = 0.001;
export const ZERO_BUCKET = -1_000_000;

/** The bucket of `valueSql` (seconds, float8) in SQL; the same arithmetic as `bucketOf`. */
export function bucketSql(valueSql: string): string {
  return `(case when ${valueSql} < ${MIN_VALUE} then ${ZERO_BUCKET} else ceil(ln(${valueSql}) / ${LN_GAMMA})::int end)`;
}

export function bucketOf(seconds: number): number {
  return seconds < MIN_VALUE ? ZERO_BUCKET : Math.ceil(Math.log(seconds) / LN_GAMMA);
}

function valueOf(bucket: number): number {
  return bucket === ZERO_BUCKET ? 0 : (2 * GAMMA ** bucket) / (GAMMA + 1);
}

/** Bucket → count, as stored (JSON object keys are strings). */
export type Histogram = Record<string, number>;

export function mergeInto(into: Histogram, from: Histogram): void {
  for (const [bucket, n] of Object.entries(from)) into[bucket] = (into[bucket] ?? 0) + n;
}

/**
 * Quantiles as percentile_cont defines them (linear interpolation between the two nearest ranks),
 * each rank's value read from its bucket: within ±1% of the exact answer.
 */
export function quantiles(hist: Histogram, qs: readonly number[]): (number | null)[] {
  const buckets = Object.entries(hist)
    .map(([b, n]) => [Number(b), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return qs.map(() => null);
  // The value of the rank-th smallest value (0-based).
  const at = (rank: number): number => {
    let seen = 0;
    for (const [bucket, n] of buckets) {
      seen += n;
      if (rank < seen) return valueOf(bucket);
    }
    return valueOf(buckets.at(-1)![0]);
  };
  return qs.map((q) => {
    const pos = (total - 1) * q;
    const lo = Math.floor(pos);
    const low = at(lo);
    return lo === pos ? low : low + (at(lo + 1) - low) * (pos - lo);
  });
}
