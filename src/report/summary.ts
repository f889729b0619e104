import { cell } from './markdown';
import { DependencyStatus } from './dependency-status';
import { formatDuration } from './duration';

export interface SummaryFacts {
  title: string;
  /** e.g. "sameCommit 3f2a9c1". */
  matchedBy: string;
  result: string;
  waitedMs: number;
  statuses: DependencyStatus[];
}

/** The Markdown summary tab: one row per reference, its matched run with a link, its state and time waited. */
export function renderSummary(facts: SummaryFacts): string {
  const icon = (s: DependencyStatus) => (s.observation.verdict === 'met' ? '✅' : s.observation.verdict === 'failed' ? '❌' : '⏳');
  const rows = facts.statuses.map((s) => {
    const run = s.observation.run ? `[${cell(s.observation.run.name)} (#${s.observation.run.id})](${s.observation.run.webUrl})` : '—';
    const waited = formatDuration(s.metAfterMs ?? facts.waitedMs);
    return `| ${icon(s)} \`${cell(s.ref.label)}\` | ${cell(s.ref.project)} | ${run} | ${cell(s.observation.state)} | ${waited} |`;
  });
  return [
    `### ${facts.title}`,
    '',
    `**${facts.result}** after ${formatDuration(facts.waitedMs)} · matched by ${cell(facts.matchedBy)}`,
    '',
    '| Dependency | Project | Run | State | Waited |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
