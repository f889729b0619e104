/** Up to `max` names close to `wanted` (case-insensitive edit distance), closest first, for "Did you mean …?". */
export function closestNames(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const target = wanted.toLowerCase();
  const limit = Math.max(2, Math.floor(target.length / 3));
  const scored: Array<{ name: string; distance: number }> = [];
  for (const name of new Set(candidates)) {
    const lower = name.toLowerCase();
    const distance = lower.includes(target) || target.includes(lower) ? Math.abs(lower.length - target.length) / 100 : editDistance(target, lower);
    if (distance <= limit) scored.push({ name, distance });
  }
  return scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name)).slice(0, max).map((s) => s.name);
}

/** " Did you mean 'a' or 'b'?" — or "" when nothing is close; ready to append to a not-found message. */
export function didYouMean(wanted: string, candidates: Iterable<string>): string {
  const names = closestNames(wanted, candidates);
  if (names.length === 0) return '';
  const quoted = names.map((n) => `'${n}'`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` Did you mean ${list}?`;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
