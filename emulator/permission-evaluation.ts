/**
 * Evaluates "does the caller have these permission bits on this token" from the scenario's denials,
 * as the Security area's Has Permissions routes do. Tokens follow security-namespaces.ts; the caller
 * is never treated as an administrator (alwaysAllowAdministrators changes nothing).
 */
import { normaliseFolder } from './folders';
import { isDeniedAt, type SecurityTarget } from './permissions';
import { permissionsForBit, type SecurityNamespace } from './security-namespaces';
import type { ProjectState } from './world/model';
import type { EmulatorState } from './world/world';

/** True when every bit of `permissions` is granted on the token (0 bits: true). */
export function hasPermissions(world: EmulatorState, namespace: SecurityNamespace, permissions: number, token: string): boolean {
  const target = targetOf(world, namespace, token);
  for (let bit = 1; bit <= permissions; bit *= 2) {
    if ((permissions & bit) === 0) continue;
    if (permissionsForBit(namespace.name, bit).some((p) => isDeniedAt(world.denials, p, target))) return false;
  }
  return true;
}

/**
 * Reads a token: "{projectId}[/{folder...}][/{definitionId}[/Environment/{definitionEnvironmentId}]]".
 * A last part that is a definition's id in the project is the definition; otherwise the parts are a
 * folder. A project the emulator does not know is a project no named denial reaches.
 */
function targetOf(world: EmulatorState, namespace: SecurityNamespace, token: string): SecurityTarget {
  const parts = token.split(namespace.separator).filter((p) => p.length > 0);
  const project: ProjectState = world.projectsById.get(parts[0] ?? '')
    ?? [...world.projectsById.values()].find((p) => p.id.toLowerCase() === (parts[0] ?? '').toLowerCase())
    ?? { id: parts[0] ?? '', name: '' };
  let rest = parts.slice(1);
  let environmentId: number | undefined;
  if (namespace.name === 'ReleaseManagement' && rest.length >= 3 && rest[rest.length - 2].toLowerCase() === 'environment') {
    environmentId = Number(rest[rest.length - 1]);
    rest = rest.slice(0, -2);
  }
  if (rest.length === 0) return { project };
  const folder = normaliseFolder(rest.join('\\'));
  const last = Number(rest[rest.length - 1]);
  const definitions = namespace.name === 'Build' ? world.buildDefinitionList : world.releaseDefinitionList;
  const definition = Number.isInteger(last)
    ? definitions.find((d) => d.projectId === project.id && d.id === last
      && normaliseFolder(rest.slice(0, -1).join('\\')).toLowerCase() === d.path.toLowerCase())
    : undefined;
  if (!definition) return { project, folder };
  const target: SecurityTarget = { project, definition: { id: definition.id, name: definition.name, path: definition.path } };
  if (environmentId !== undefined && 'environments' in definition) {
    const env = definition.environments.find((e) => e.id === environmentId);
    target.environment = { id: environmentId, name: env?.name ?? '' };
  }
  return target;
}
