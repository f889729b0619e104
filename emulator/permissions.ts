/**
 * Permission denials from the scenario, answered with the service's 403 messages: TF215106 for the
 * build service, VS402904 for release management.
 */
import { errors, ServiceError } from './errors';
import type { PermissionDenial, PermissionName } from './scenario';
import type { ProjectState } from './world/model';

const RELEASE_PERMISSIONS: PermissionName[] = [
  'View releases', 'View release pipeline', 'Manage deployments', 'Manage releases', 'Create releases',
];

export function isDenied(
  denials: PermissionDenial[], permission: PermissionName, project: ProjectState, definition?: { id: number; name: string },
): boolean {
  return denials.some((d) => d.permission.toLowerCase() === permission.toLowerCase()
    && (d.project === undefined || sameText(d.project, project.name) || sameText(d.project, project.id))
    && (d.definition === undefined || (definition !== undefined
      && (String(d.definition) === String(definition.id) || sameText(String(d.definition), definition.name)))));
}

export function accessDenied(
  identity: string, permission: PermissionName, project: ProjectState, definition?: { id: number; name: string },
): ServiceError {
  return RELEASE_PERMISSIONS.includes(permission)
    ? errors.releaseAccessDenied(identity, permission)
    : errors.buildAccessDenied(identity, permission, project.name, definition?.name);
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
