/**
 * The permission model: scenario denials on a scope (project, folder, definition, release environment),
 * evaluated hierarchically as the service's security namespaces are: a denial covers its scope and
 * everything below it, never the scopes above. Denied requests are answered with the service's 403
 * messages: TF215106 for the build service, VS402904 for release management.
 */
import { errors, ServiceError } from './errors';
import { underFolder } from './folders';
import type { PermissionDenial, PermissionName } from './scenario';
import { PERMISSION_ACTIONS } from './security-namespaces';
import type { ProjectState } from './world/model';

/** What a permission is asked about: a project, or a folder, definition or environment in it. */
export interface SecurityTarget {
  project: ProjectState;
  /** A folder token (no definition): "\\team\\svc". */
  folder?: string;
  definition?: { id: number; name: string; path: string };
  /** A classic release definition environment: its definition-environment id and name. */
  environment?: { id: number; name: string };
}

export function isDenied(
  denials: PermissionDenial[], permission: PermissionName, project: ProjectState,
  definition?: SecurityTarget['definition'], environment?: SecurityTarget['environment'],
): boolean {
  return isDeniedAt(denials, permission, { project, definition, environment });
}

export function isDeniedAt(denials: PermissionDenial[], permission: PermissionName, target: SecurityTarget): boolean {
  return denials.some((d) => d.permission.toLowerCase() === permission.toLowerCase() && covers(d, target));
}

/** Whether a denial's scope is the target's or one of its parents. */
function covers(d: PermissionDenial, t: SecurityTarget): boolean {
  if (d.project !== undefined && !sameText(d.project, t.project.name) && !sameText(d.project, t.project.id)) return false;
  if (d.folder !== undefined) {
    const path = t.definition?.path ?? t.folder;
    if (path === undefined || !underFolder(path, d.folder)) return false;
  }
  if (d.definition !== undefined) {
    if (!t.definition) return false;
    if (String(d.definition) !== String(t.definition.id) && !sameText(String(d.definition), t.definition.name)) return false;
  }
  if (d.environment !== undefined) {
    if (!t.environment) return false;
    if (String(d.environment) !== String(t.environment.id) && !sameText(String(d.environment), t.environment.name)) return false;
  }
  return true;
}

export function accessDenied(
  identity: string, permission: PermissionName, project: ProjectState, definition?: { id: number; name: string },
): ServiceError {
  return PERMISSION_ACTIONS[permission].namespace === 'ReleaseManagement'
    ? errors.releaseAccessDenied(identity, permission)
    : errors.buildAccessDenied(identity, permission, project.name, definition?.name);
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
