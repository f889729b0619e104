import * as fs from 'node:fs';

/** One line of the bench's table: a figure, its baseline from the same run, and the target it is held to. */
export interface BenchRow {
  measure: string;
  lockstep: string;
  baseline: string;
  ratio: string;
  /** The README's target for this figure, when it has one. */
  target?: string;
  met?: boolean;
}

export function renderTable(rows: BenchRow[]): string {
  const verdict = (r: BenchRow) => (r.met === undefined ? '' : r.met ? '✅ met' : '❌ missed');
  return [
    '| measure | Lockstep | baseline | ratio | target | |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${[r.measure, r.lockstep, r.baseline, r.ratio, r.target ?? '', verdict(r)].map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}

export const README_BEGIN = '<!-- bench:begin (written by npm run bench) -->';
export const README_END = '<!-- bench:end -->';

/** Replaces what stands between the README's bench markers; fails when they are missing rather than guess. */
export function writeReadmeSection(readmePath: string, body: string): void {
  const readme = fs.readFileSync(readmePath, 'utf8');
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`${readmePath} has no '${README_BEGIN}' … '${README_END}' markers for the bench's figures.`);
  fs.writeFileSync(readmePath, `${readme.slice(0, begin + README_BEGIN.length)}\n${body.trim()}\n${readme.slice(end)}`);
}
