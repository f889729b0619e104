import { describePipeline } from '../preflight/permission-need';
import { PreflightReport } from '../preflight/preflight';
import { PlanEntry } from './rollback-plan';
import { MemberResult } from './rollback-report';

/** What the readiness check (dryRun) found: problems stop a rollback from running; warnings may spoil one. */
export interface Readiness {
  problems: string[];
  warnings: string[];
  /** Per member, what a rollback would do now, or why it could not. */
  results: MemberResult[];
}

/**
 * The readiness verdict from the permission check and a prospective plan (members planned as if the train had
 * deployed them). A rollback could not run when a permission it needs is missing; a member with nothing to go back
 * to, permissions that could not be checked, and a classic environment that cancels older deployments are warnings.
 */
export function assessReadiness(plan: PlanEntry[], permissions: PreflightReport, identity: string): Readiness {
  const problems: string[] = [];
  const warnings: string[] = [];
  const missingFor = (p: PlanEntry) => permissions.missing.filter((n) => n.on.kind === p.member.kind && n.on.definitionId === p.member.definitionId && n.on.project.toLowerCase() === p.member.project.toLowerCase());

  if (!permissions.checked) warnings.push('permissions could not be checked in advance (see above); a refused request would stop the rollback midway');
  const blocking = permissions.missing.filter((n) => n.onMissing === 'fail');
  for (const need of blocking) {
    problems.push(`${identity} lacks '${need.permission}' on ${describePipeline(need.on)} (to ${need.purpose})`);
  }

  const results = plan.map((p): MemberResult => {
    const policy = p.member.environmentPolicy;
    if (p.action === 'redeployEnvironment' && policy && (policy.concurrencyCount ?? 0) > 0 && policy.queueDepthCount === 1) {
      warnings.push(
        `${p.member.label}: environment ${p.member.stage} deploys only the latest release and cancels the others (Deployment queue settings); ` +
          `a redeploy of ${p.lastGood?.name ?? 'its last good release'} would be canceled if a newer release is queued for ${p.member.stage} — choose "Deploy all in sequence"`,
      );
    }
    const missing = missingFor(p).filter((n) => n.onMissing === 'fail');
    if (missing.length > 0) return { member: p.member.label, status: 'failed', reason: `missing ${missing.map((n) => `'${n.permission}'`).join(', ')}` };
    if (p.action === 'none') {
      warnings.push(`${p.member.label}: ${p.reason}; a rollback would leave it as the train left it`);
      return { member: p.member.label, status: 'skipped', reason: p.reason };
    }
    if (p.action === 'skip') return { member: p.member.label, status: 'skipped', reason: p.reason };
    return { member: p.member.label, status: 'skipped', reason: `ready: would ${p.describe}${p.prospective ? ` (once the train has deployed it: ${p.reason})` : ''}` };
  });
  // Permissions missing on a pipeline that is not a member (this run's own) stop the rollback too; they are listed above.
  return { problems, warnings, results };
}
