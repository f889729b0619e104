/**
 * The two security namespaces the emulator models, as data: ids, permission bits, token formats, and
 * which friendly permission name (the security UI's, used in scenario denials) is which bit.
 *
 * Sources (checked 2026-12):
 * - ids, action names and token formats: learn.microsoft.com/azure/devops/organizations/security/namespace-reference
 *   and learn.microsoft.com/azure/devops/cli/security-tokens (MicrosoftDocs/azure-devops-docs);
 * - bit values: Microsoft.TeamFoundation.Build.WebApi.BuildPermissions and
 *   Microsoft.VisualStudio.Services.ReleaseManagement.WebApi.Security.ReleaseManagementSecurityPermissions
 *   (azure-devops-node-api interfaces/ReleaseInterfaces.d.ts carries the release bits up to ManageDeployments);
 * - build tokens with a folder: microsoft/terraform-provider-azuredevops, build definition permissions
 *   ("Project_ID/Path/Build_Definition_ID", the folder's backslashes written as slashes).
 */
import type { PermissionName } from './scenario';

export type NamespaceName = 'Build' | 'ReleaseManagement';

export interface SecurityNamespace {
  name: NamespaceName;
  id: string;
  /** Tokens are hierarchical, their parts separated by this. */
  separator: '/';
  /** Action name → bit. */
  actions: Record<string, number>;
  /**
   * Token formats, parent before child. `{folder}` is the definition's folder without the leading
   * backslash, backslashes written as `/` (nothing for the root folder, and then no separator).
   */
  tokens: Record<string, string>;
}

export const BUILD_NAMESPACE: SecurityNamespace = {
  name: 'Build',
  id: '33344d9c-fc72-4d6f-aba5-fa317101a7e9',
  separator: '/',
  actions: {
    ViewBuilds: 1,
    EditBuildQuality: 2,
    RetainIndefinitely: 4,
    DeleteBuilds: 8,
    ManageBuildQualities: 16,
    DestroyBuilds: 32,
    UpdateBuildInformation: 64,
    QueueBuilds: 128,
    ManageBuildQueue: 256,
    StopBuilds: 512,
    ViewBuildDefinition: 1024,
    EditBuildDefinition: 2048,
    DeleteBuildDefinition: 4096,
    OverrideBuildCheckInValidation: 8192,
    AdministerBuildPermissions: 16384,
  },
  tokens: {
    project: '{projectId}',
    folder: '{projectId}/{folder}',
    definition: '{projectId}/{folder}/{definitionId}',
  },
};

export const RELEASE_NAMESPACE: SecurityNamespace = {
  name: 'ReleaseManagement',
  id: 'c788c23e-1b46-4162-8f5e-d7585343b5de',
  separator: '/',
  actions: {
    ViewReleaseDefinition: 1,
    EditReleaseDefinition: 2,
    DeleteReleaseDefinition: 4,
    ManageReleaseApprovers: 8,
    ManageReleases: 16,
    ViewReleases: 32,
    CreateReleases: 64,
    EditReleaseEnvironment: 128,
    DeleteReleaseEnvironment: 256,
    AdministerReleasePermissions: 512,
    DeleteReleases: 1024,
    ManageDeployments: 2048,
    ManageReleaseSettings: 4096,
    ManageTaskHubExtension: 8192,
  },
  tokens: {
    project: '{projectId}',
    folder: '{projectId}/{folder}',
    definition: '{projectId}/{folder}/{definitionId}',
    environment: '{projectId}/{folder}/{definitionId}/Environment/{definitionEnvironmentId}',
  },
};

export const SECURITY_NAMESPACES: SecurityNamespace[] = [BUILD_NAMESPACE, RELEASE_NAMESPACE];

/** The friendly names scenario denials use, and the namespace action each one is. */
export const PERMISSION_ACTIONS: Record<PermissionName, { namespace: NamespaceName; action: string }> = {
  'View builds': { namespace: 'Build', action: 'ViewBuilds' },
  'View build pipeline': { namespace: 'Build', action: 'ViewBuildDefinition' },
  'Edit build quality': { namespace: 'Build', action: 'EditBuildQuality' },
  'Update build information': { namespace: 'Build', action: 'UpdateBuildInformation' },
  'Queue builds': { namespace: 'Build', action: 'QueueBuilds' },
  'Stop builds': { namespace: 'Build', action: 'StopBuilds' },
  'Retain indefinitely': { namespace: 'Build', action: 'RetainIndefinitely' },
  'View releases': { namespace: 'ReleaseManagement', action: 'ViewReleases' },
  'View release pipeline': { namespace: 'ReleaseManagement', action: 'ViewReleaseDefinition' },
  'Manage deployments': { namespace: 'ReleaseManagement', action: 'ManageDeployments' },
  'Manage releases': { namespace: 'ReleaseManagement', action: 'ManageReleases' },
  'Create releases': { namespace: 'ReleaseManagement', action: 'CreateReleases' },
};

/**
 * Presets of denials that model a real identity's defaults. buildService: the project's build
 * service identity has everything the emulator models except Manage deployments (only Project and
 * Release Administrators get it by default; see shared REAL-SERVICE-FACTS, azure-pipelines-agent#1687).
 */
export const PERMISSION_PRESETS = {
  buildService: [{ permission: 'Manage deployments' as PermissionName }],
} as const;

export type PermissionPreset = keyof typeof PERMISSION_PRESETS;

export function namespaceById(id: string): SecurityNamespace | undefined {
  return SECURITY_NAMESPACES.find((n) => n.id.toLowerCase() === id.toLowerCase());
}

/** The friendly permission names a namespace bit stands for (none for bits the emulator does not model). */
export function permissionsForBit(namespace: NamespaceName, bit: number): PermissionName[] {
  const ns = SECURITY_NAMESPACES.find((n) => n.name === namespace)!;
  return (Object.keys(PERMISSION_ACTIONS) as PermissionName[])
    .filter((p) => PERMISSION_ACTIONS[p].namespace === namespace && ns.actions[PERMISSION_ACTIONS[p].action] === bit);
}
