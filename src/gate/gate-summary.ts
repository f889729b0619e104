import { cell } from '../report/markdown';
import { formatDuration } from '../report/duration';
import { GateMember } from './gate-member';
import { MemberView } from './member-observer';

export interface GateSummaryFacts {
  gate: string;
  train: string;
  result: string;
  message?: string;
  waitedMs: number;
  needed: number;
  self: string;
  selfArrivedAt: string;
  views: MemberView[];
  firstSeen: Map<GateMember, string>;
}

/** The gate's summary tab: who arrived when, with links to their runs. */
export function renderGateSummary(f: GateSummaryFacts): string {
  const icon = (v: MemberView) => (v.arrival === 'none' ? '⏳' : '✅');
  const rows = f.views.map((v) => {
    const run = v.run ? `[${cell(v.run.name)} (#${v.run.id})](${v.run.webUrl})` : '—';
    const at = v.record?.arrivedAt ?? f.firstSeen.get(v.member) ?? '—';
    return `| ${icon(v)} \`${cell(v.member.label)}\` | ${run} | ${cell(v.state)} | ${at} |`;
  });
  return [
    `### Lockstep · SyncGate \`${cell(f.gate)}\` · train \`${cell(f.train)}\``,
    '',
    `**${f.result}** after ${formatDuration(f.waitedMs)} · ${f.needed} needed${f.message ? ` · ${cell(f.message)}` : ''}`,
    '',
    '| Member | Train run | State | Arrived |',
    '|---|---|---|---|',
    `| ✅ \`${cell(f.self)}\` (this run) | — | arrived | ${f.selfArrivedAt} |`,
    ...rows,
    '',
  ].join('\n');
}
