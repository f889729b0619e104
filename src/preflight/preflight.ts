import { AzureDevOps } from '../client/azure-devops';
import { CanceledError, describeError, LockstepError } from '../errors';
import { Host } from '../ports';
import { describePipeline, PermissionNeed, whereToGrant } from './permission-need';
import { namespaceId, permissionBits, securityToken } from './security-namespaces';

/** What the permission check found. */
export interface PreflightReport {
  /** false when the service would not evaluate permissions (refused or absent): nothing is known. */
  checked: boolean;
  /** The needs the identity lacks, each once. */
  missing: PermissionNeed[];
  /** How many distinct permissions were evaluated. */
  evaluated: number;
}

/** The task stops before it waits or changes anything: the identity lacks what it needs. */
export class PermissionsMissingError extends LockstepError {}

/**
 * Evaluates, in ONE request, every permission the task is about to use, for the identity the task runs as. Needs on
 * the same permission and token merge. Where the service refuses or does not offer the evaluation, says so once and
 * reports nothing checked: the task goes on, and a refused request still names its permission.
 */
export async function checkPermissions(needs: PermissionNeed[], api: AzureDevOps, host: Host): Promise<PreflightReport> {
  const unique = await withProjectIds(mergeNeeds(needs), api);
  if (unique.length === 0) return { checked: true, missing: [], evaluated: 0 };
  let allowed: boolean[] | null;
  try {
    allowed = await api.evaluatePermissions(
      unique.map((n) => ({ securityNamespaceId: namespaceId(n.permission), token: securityToken(n.on as Required<typeof n.on>), permissions: permissionBits[n.permission].bit })),
    );
  } catch (error) {
    if (host.signal.aborted || error instanceof CanceledError) throw error;
    host.log.warn(host.localize('Warning_PreflightUnavailable', describeError(error, host.localize)));
    return { checked: false, missing: [], evaluated: 0 };
  }
  if (allowed === null) {
    host.log.warn(host.localize('Warning_PreflightUnavailable', 'the service does not offer the permission-evaluation API'));
    return { checked: false, missing: [], evaluated: 0 };
  }
  return { checked: true, missing: unique.filter((_, i) => !allowed![i]), evaluated: unique.length };
}

/**
 * checkPermissions, then: warns about each missing permission the task can do without, and when any it cannot do
 * without is missing, logs every one of them with where to grant it and fails — all at once, before any wait or write.
 */
export async function requirePermissions(needs: PermissionNeed[], api: AzureDevOps, host: Host): Promise<PreflightReport> {
  const report = await checkPermissions(needs, api, host);
  if (report.missing.length === 0) {
    if (report.checked && report.evaluated > 0) host.log.info(host.localize('Info_PermissionsChecked', report.evaluated));
    return report;
  }
  const who = await api.identity();
  for (const need of report.missing.filter((n) => n.onMissing === 'warn')) {
    host.log.warn(host.localize('Warning_PermissionMissing', who, need.permission, describePipeline(need.on), need.without ?? need.purpose, whereToGrant(need.permission, need.on)));
  }
  const blocking = report.missing.filter((n) => n.onMissing === 'fail');
  if (blocking.length > 0) throw missingPermissionsError(blocking, who, host);
  return report;
}

/** Logs each missing permission, what it is needed for, and where to grant it to whom. */
export function logMissingPermissions(missing: PermissionNeed[], who: string, host: Host): void {
  for (const need of missing) {
    host.log.info(host.localize('Info_PermissionMissing', need.permission, describePipeline(need.on), need.purpose, who, whereToGrant(need.permission, need.on)));
  }
}

/** Logs each missing permission with where to grant it, and returns the one-line error that names them all. */
export function missingPermissionsError(missing: PermissionNeed[], who: string, host: Host): PermissionsMissingError {
  logMissingPermissions(missing, who, host);
  const list = missing.map((n) => `'${n.permission}' on ${describePipeline(n.on)}`).join('; ');
  return new PermissionsMissingError('Error_PermissionsMissing', [who, missing.length, list]);
}

/** One need per permission and token; the purposes of merged needs are joined, and fail wins over warn. */
function mergeNeeds(needs: PermissionNeed[]): PermissionNeed[] {
  const byKey = new Map<string, PermissionNeed>();
  for (const need of needs) {
    const key = `${need.permission}|${need.on.project.toLowerCase()}|${need.on.kind}|${need.on.definitionId}|${need.on.environmentId ?? ''}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...need });
      continue;
    }
    if (!seen.purpose.split('; ').includes(need.purpose)) seen.purpose = `${seen.purpose}; ${need.purpose}`;
    if (need.onMissing === 'fail') seen.onMissing = 'fail';
  }
  return [...byKey.values()];
}

/** Tokens name projects by id: fill in the ids the definitions lists did not carry, one request per project. */
async function withProjectIds(needs: PermissionNeed[], api: AzureDevOps): Promise<PermissionNeed[]> {
  const ids = new Map<string, Promise<string | undefined>>();
  for (const n of needs) if (n.on.projectId) ids.set(n.on.project.toLowerCase(), Promise.resolve(n.on.projectId));
  const idOf = (project: string) => {
    const key = project.toLowerCase();
    if (!ids.has(key)) ids.set(key, api.getProject(project).then((p) => p?.id));
    return ids.get(key)!;
  };
  const filled = await Promise.all(needs.map(async (n) => ({ ...n, on: { ...n.on, projectId: n.on.projectId || (await idOf(n.on.project)) || n.on.project } })));
  return filled;
}
