import { PermissionName, permissionBits, SecuredPipeline } from './security-namespaces';

/** A pipeline a task will read or change, as a person finds it in the web UI. */
export interface NeededOn extends SecuredPipeline {
  kind: 'yaml' | 'release';
  project: string;
  definitionName: string;
  /** The classic environment's name, with environmentId. */
  environmentName?: string;
}

/** One permission a task needs on one pipeline, and what for. */
export interface PermissionNeed {
  permission: PermissionName;
  on: NeededOn;
  /** What the task does with it, completing "to …": "read its runs", "retry the stage of its last good run". */
  purpose: string;
  /**
   * fail: the task cannot do its job without it, so it stops before waiting or changing anything;
   * warn: it loses one feature (named in `without`) and goes on.
   */
  onMissing: 'fail' | 'warn';
  /** For warn: what the task does without the permission. */
  without?: string;
}

/** "pipeline \team\api (project Shop)", "classic release pipeline Legacy Web, environment Production (project Shop)". */
export function describePipeline(on: NeededOn): string {
  const name = on.path && on.path !== '\\' ? `${on.path.replace(/\\+$/, '')}\\${on.definitionName}` : on.definitionName;
  const environment = on.environmentName ? `, environment ${on.environmentName}` : '';
  return `${on.kind === 'release' ? 'classic release pipeline' : 'pipeline'} ${name}${environment} (project ${on.project})`;
}

/** Where a project administrator grants the permission, from the narrowest place to the widest. */
export function whereToGrant(permission: PermissionName, on: NeededOn): string {
  if (permissionBits[permission].namespace === 'build') {
    return `Pipelines › ${on.definitionName} › ⋯ › Manage security (this pipeline), or Pipelines › All › ⋯ › Manage security (every pipeline of project ${on.project})`;
  }
  if (on.environmentName) {
    return `Pipelines › Releases › ${on.definitionName} › Edit › stage ${on.environmentName} › ⋯ › Security (this environment), or Pipelines › Releases › ${on.definitionName} › ⋯ › Security (the release pipeline)`;
  }
  return `Pipelines › Releases › ${on.definitionName} › ⋯ › Security (this release pipeline), or Pipelines › Releases › All pipelines › ⋯ › Security (every release pipeline of project ${on.project})`;
}
