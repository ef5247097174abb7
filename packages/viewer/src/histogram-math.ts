/** Bucket arithmetic for explicit-bucket histograms (OTLP: counts has one more entry than bounds). */

export function addCounts(into: number[], counts: readonly number[]): void {
  for (let index = 0; index < counts.length; index++) into[index] = (into[index] ?? 0) + counts[index]!;
}

export function subtractCounts(current: readonly number[], previous: readonly number[]): number[] {
  return current.map((count, index) => Math.max(0, count - (previous[index] ?? 0)));
}

/**
 * The q-quantile (0..1) estimated from bucket counts, interpolating linearly inside the bucket
 * that holds it, as Prometheus' histogram_quantile does; the overflow bucket reports the last
 * bound. `undefined` when the histogram is empty.
 */
export function quantile(q: number, counts: readonly number[], bounds: readonly number[]): number | undefined {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let index = 0; index < counts.length; index++) {
    const count = counts[index]!;
    if (seen + count >= rank && count > 0) {
      if (index >= bounds.length) return bounds[bounds.length - 1] ?? 0;
      const lower = index === 0 ? 0 : bounds[index - 1]!;
      const upper = bounds[index]!;
      return lower + ((upper - lower) * (rank - seen)) / count;
    }
    seen += count;
  }
  return bounds[bounds.length - 1] ?? 0;
}
