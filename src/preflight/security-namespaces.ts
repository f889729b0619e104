/**
 * The permissions Lockstep checks before it waits or changes anything, as the service's security model names them:
 * a security namespace, a permission bit in it, and a token that addresses a project, a folder, a pipeline or a
 * classic release environment. Sources and confidence: docs/permissions.md ("Namespaces, bits and tokens").
 */

/** Build: YAML and classic build pipelines and their runs. */
export const buildNamespaceId = '33344d9c-fc72-4d6f-aba5-fa317101a7e9';
/** ReleaseManagement: classic release pipelines, their releases and environments. */
export const releaseNamespaceId = 'c788c23e-1b46-4162-8f5e-d7585343b5de';

/** The permissions the tasks need, spelled as the security dialogs spell them. */
export type PermissionName =
  | 'View builds'
  | 'Edit build quality'
  | 'Update build information'
  | 'Queue builds'
  | 'Stop builds'
  | 'View releases'
  | 'Manage releases'
  | 'Manage deployments';

/** Each permission's namespace and bit, and where a person grants it. */
export const permissionBits: Record<PermissionName, { namespace: 'build' | 'release'; bit: number }> = {
  'View builds': { namespace: 'build', bit: 1 },
  // The service asks for this one to tag a run ("Can add tags to a build"), not Update build information.
  'Edit build quality': { namespace: 'build', bit: 2 },
  'Update build information': { namespace: 'build', bit: 64 },
  'Queue builds': { namespace: 'build', bit: 128 },
  'Stop builds': { namespace: 'build', bit: 512 },
  'Manage releases': { namespace: 'release', bit: 16 },
  'View releases': { namespace: 'release', bit: 32 },
  'Manage deployments': { namespace: 'release', bit: 2048 },
};

export function namespaceId(permission: PermissionName): string {
  return permissionBits[permission].namespace === 'build' ? buildNamespaceId : releaseNamespaceId;
}

/** What a token addresses: a pipeline (in its folder), optionally one environment of a classic release pipeline. */
export interface SecuredPipeline {
  projectId: string;
  definitionId: number;
  /** The definition's folder, "\" for the root, "\team\svc" below it. */
  path: string;
  /** A classic release environment's id in its definition (definitionEnvironmentId). */
  environmentId?: number;
}

/**
 * The token of a pipeline: `{projectId}/{folder segments…}/{definitionId}`, the same shape in both namespaces; a
 * classic environment appends `/Environment/{definitionEnvironmentId}`. Permissions inherit down this path, so a
 * Deny on the folder or the environment is found by evaluating the deepest token.
 */
export function securityToken(p: SecuredPipeline): string {
  const folders = p.path.split('\\').filter(Boolean);
  const base = [p.projectId, ...folders, String(p.definitionId)].join('/');
  return p.environmentId === undefined ? base : `${base}/Environment/${p.environmentId}`;
}
