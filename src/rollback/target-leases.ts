import { AzureDevOps } from '../client/azure-devops';
import { describeError } from '../errors';
import { Host } from '../ports';
import { PlanEntry } from './rollback-plan';

/**
 * Retention policies delete old runs, and YAML retention cannot be set per environment: a service that deploys
 * rarely loses the run a rollback would go back to. The readiness check keeps each YAML member's target with a
 * retention lease owned by Lockstep, one owner per pipeline, and gives up the leases it took on older targets once a
 * newer one holds. Best effort: without the permission the release goes on, with a warning.
 */
export const leaseOwner = (definitionId: number) => `Lockstep:rollback-target:${definitionId}`;
/** How long a lease lasts without a newer readiness check renewing the target: a year. */
const leaseDays = 365;

export async function keepTargets(plan: PlanEntry[], api: AzureDevOps, host: Host): Promise<string[]> {
  const warnings: string[] = [];
  for (const p of plan) {
    if (p.member.kind !== 'yaml' || !p.lastGood || p.action === 'none' || p.action === 'skip') continue;
    const { project, definitionId } = p.member;
    const owner = leaseOwner(definitionId);
    try {
      const held = await api.listRetentionLeases(project, owner, definitionId);
      if (!held.some((l) => l.runId === p.lastGood!.id)) {
        await api.addRetentionLease(project, { definitionId, runId: p.lastGood.id, ownerId: owner, daysValid: leaseDays });
        host.log.info(`${p.member.label}: kept run ${p.lastGood.name} (#${p.lastGood.id}) from retention (a retention lease) while it is what a rollback would go back to.`);
      }
      const older = held.filter((l) => l.runId !== p.lastGood!.id && l.leaseId !== undefined).map((l) => l.leaseId!);
      if (older.length > 0) {
        await api.deleteRetentionLeases(project, older);
        host.log.info(`${p.member.label}: released ${older.length} retention lease(s) on earlier rollback targets.`);
      }
    } catch (error) {
      if (host.signal.aborted) throw error;
      warnings.push(`${p.member.label}: could not keep run ${p.lastGood.name} (#${p.lastGood.id}) from retention: ${describeError(error, host.localize)}`);
    }
  }
  return warnings;
}
