/** Small statistics and formatting for the bench; nothing here measures. */

/** The middle value; between the two middle values of an even count. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "0.045×", or "12×" for large ratios. */
export function ratio(value: number, baseline: number): string {
  if (!(baseline > 0) || !Number.isFinite(value)) return '—';
  const r = value / baseline;
  return r >= 10 ? `${Math.round(r)}×` : r >= 1 ? `${r.toFixed(1)}×` : `${r.toFixed(r < 0.1 ? 3 : 2)}×`;
}

export function seconds(ms: number, digits = 1): string {
  return `${(ms / 1000).toFixed(digits)} s`;
}

/** A repeatable stream of numbers in [0, 1) (mulberry32), so every run of the bench draws the same durations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A normally distributed draw (Box–Muller) from a uniform source. */
export function normal(random: () => number, mean: number, sd: number): number {
  const u = Math.max(random(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
