import { cell } from '../report/markdown';
import { PlanEntry } from './rollback-plan';

/** How one member came out: rolledBack, skipped (with why), or failed (with why). */
export interface MemberResult {
  member: string;
  status: 'rolledBack' | 'skipped' | 'failed';
  reason?: string;
}

/**
 * The task's result, a policy stated in the docs: Failed when a rollback failed or was not attempted; partially
 * succeeded (SucceededWithIssues) when a member had no earlier good run to go back to but every other rollback
 * succeeded; Succeeded when every member was rolled back or had nothing to undo in this train.
 */
export function rollbackResult(results: MemberResult[]): 'Succeeded' | 'SucceededWithIssues' | 'Failed' {
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length === 0) return 'Succeeded';
  const nothingToGoBackTo = failed.every((r) => /^no earlier (run|release) whose/.test(r.reason ?? ''));
  return nothingToGoBackTo && results.some((r) => r.status !== 'failed') ? 'SucceededWithIssues' : 'Failed';
}

export function planJson(plan: PlanEntry[]): string {
  return JSON.stringify(
    plan.map((p) => ({
      member: p.member.label,
      trainRun: p.trainRun ? { id: p.trainRun.id, name: p.trainRun.name, webUrl: p.trainRun.webUrl } : null,
      lastGoodRun: p.lastGood ? { id: p.lastGood.id, name: p.lastGood.name, webUrl: p.lastGood.webUrl, ...(p.lastGood.why ? { why: p.lastGood.why } : {}) } : null,
      action: p.action,
      describe: p.describe,
      ...(p.reason ? { reason: p.reason } : {}),
    })),
  );
}

export function resultJson(results: MemberResult[]): string {
  return JSON.stringify(results);
}

export function renderRollbackSummary(f: { train: string; plan: PlanEntry[]; results: MemberResult[]; result: string; message?: string; dryRun: boolean }): string {
  const icon = { rolledBack: '↩️', skipped: '➖', failed: '❌' };
  const link = (r?: { id: number; name: string; webUrl: string }) => (r ? `[${cell(r.name)} (#${r.id})](${r.webUrl})` : '—');
  const rows = f.plan.map((p, i) => {
    const r = f.results[i];
    return `| ${icon[r.status]} \`${cell(p.member.label)}\` | ${link(p.trainRun)} | ${link(p.lastGood)} | ${cell(p.describe)} | ${r.status}${r.reason ? `: ${cell(r.reason)}` : ''} |`;
  });
  return [
    `### Lockstep · CoordinatedRollback · train \`${cell(f.train)}\`${f.dryRun ? ' (dry run)' : ''}`,
    '',
    `**${f.result}**${f.message ? ` · ${cell(f.message)}` : ''}`,
    '',
    '| Member | Train run | Last good run | Action | Outcome |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
