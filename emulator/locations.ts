/**
 * Service discovery, as azure-devops-node-api 17 uses it: the ApiResourceLocation lists it asks for
 * with `OPTIONS {base}/_apis/{area}` (from node-api-17-locations.json, plus connectionData), the
 * resource areas that map area ids to hosts, and the connection data naming the caller.
 */
import { guidFor } from './ids';
import type { Host } from './route';

export interface ApiResourceLocation {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
  minVersion: string;
  maxVersion: string;
  releasedVersion: string;
}

function loc(id: string, area: string, resourceName: string, routeTemplate: string, resourceVersion: number): ApiResourceLocation {
  return { id, area, resourceName, routeTemplate, resourceVersion, minVersion: '1.0', maxVersion: '7.2', releasedVersion: '7.1' };
}

const COLLECTION_LOCATIONS: ApiResourceLocation[] = [
  loc('0cd358e1-9217-4d94-8269-1c1ee6f93dcf', 'build', 'builds', '{project}/_apis/build/builds/{buildId}', 7),
  loc('8baac422-4c6e-4de5-8532-db96d92acffa', 'build', 'Timeline', '{project}/_apis/build/builds/{buildId}/Timeline/{timelineId}', 3),
  loc('6e6114b2-8161-44c8-8f6c-c5505782427f', 'build', 'tags', '{project}/_apis/build/builds/{buildId}/tags/{*tag}', 3),
  loc('dbeaf647-6167-421a-bda9-c9327b25e2e6', 'build', 'definitions', '{project}/_apis/build/definitions/{definitionId}', 7),
  loc('0a6312e9-0627-49b7-8083-7d74a64849c9', 'build', 'properties', '{project}/_apis/build/builds/{buildId}/properties', 1),
  // Not in the reference list: node-api 17's lease methods ask for these (ids and versions from BuildApi.js,
  // templates from the 7.1 build spec's paths).
  loc('272051e4-9af1-45b5-ae22-8d960a5539d4', 'build', 'leases', '{project}/_apis/build/retention/leases/{leaseId}', 2),
  loc('3da19a6a-f088-45c4-83ce-2ad3a87be6c4', 'build', 'leases', '{project}/_apis/build/builds/{buildId}/leases', 1),
  loc('b8aac6c9-744b-46e1-88fc-3550969f9313', 'build', 'stages', '{project}/_apis/build/builds/{buildId}/stages/{stageRefName}', 1),
  loc('7859261e-d2e9-4a68-b820-a5d84cc5bb3d', 'pipelines', 'runs', '{project}/_apis/pipelines/{pipelineId}/runs/{runId}', 1),
  loc('603fe2ac-9723-48b9-88ad-09305aa6c6e1', 'core', 'projects', '_apis/projects/{*projectId}', 4),
  loc('e81700f7-3be2-46de-8624-2eb35882fcaa', 'Location', 'ResourceAreas', '_apis/ResourceAreas/{areaId}', 1),
  // Not in the reference list (node-api 17 has no Security client): the generic client finds them by area
  // "Security" (ids and templates as the service's SecurityHttpClient declares them).
  loc('dd3b8bd6-c7fc-4cbd-929a-933d9c011c9d', 'Security', 'Permissions', '_apis/{resource}/{securityNamespaceId}/{permissions}', 2),
  loc('cf1faa59-1b63-4448-bf04-13d981a46f5d', 'Security', 'PermissionEvaluationBatch', '_apis/{area}/{resource}', 1),
  // Not in the reference list: LocationsApi.getConnectionData asks for it.
  { ...loc('00d9565f-ed9c-4a06-9a50-00e7896ccab4', 'Location', 'ConnectionData', '_apis/connectionData', 1), releasedVersion: '0.0' },
];

const RELEASE_LOCATIONS: ApiResourceLocation[] = [
  loc('a166fde7-27ad-408e-ba75-703c2cc9d500', 'Release', 'releases', '{project}/_apis/Release/releases/{releaseId}', 9),
  loc('a7e426b1-03dc-48af-9dfe-c98bac612dcb', 'Release', 'environments', '{project}/_apis/Release/releases/{releaseId}/environments/{environmentId}', 8),
  loc('d8f96f24-8ea7-4cb6-baab-2df8fc515665', 'Release', 'definitions', '{project}/_apis/Release/definitions/{definitionId}', 4),
  loc('c5b602b6-d1b3-4363-8a51-94384f78068f', 'Release', 'tags', '{project}/_apis/Release/releases/{releaseId}/tags/{*tag}', 1),
];

/**
 * The locations a host announces for an area (all of the host's when area is undefined). Without the
 * permission-evaluation routes (permissions.evaluation "absent") the Security area announces nothing.
 */
export function locationsFor(host: Host, area: string | undefined, options: { security?: boolean } = {}): ApiResourceLocation[] {
  const all = (host === 'release' ? RELEASE_LOCATIONS : COLLECTION_LOCATIONS)
    .filter((l) => options.security !== false || l.area !== 'Security');
  return area === undefined ? all : all.filter((l) => l.area.toLowerCase() === area.toLowerCase());
}

export const RELEASE_AREA_ID = 'efc2f575-36ef-48e9-b672-0c6fb4a48ac5';

export interface ResourceArea {
  id: string;
  name: string;
  locationUrl: string;
}

/**
 * The resource areas the real list holds for what the project uses. The service lists two build
 * areas; node-api asks for 965220d5. getPipelinesApi() asks for the work-item-tracking id (a
 * library bug), so it is listed too, on the collection host.
 */
export function resourceAreas(collectionUrl: string, releaseUrl: string): ResourceArea[] {
  const collection = `${collectionUrl}/`;
  return [
    { id: '79134c72-4a58-4b42-976c-04e7115f32bf', name: 'core', locationUrl: collection },
    { id: '5264459e-e5e0-4bd8-b118-0985e68a4ec5', name: 'wit', locationUrl: collection },
    { id: RELEASE_AREA_ID, name: 'Release', locationUrl: `${releaseUrl}/` },
    { id: '5d6898bb-45ec-463f-95f9-54d49c71752e', name: 'build', locationUrl: collection },
    { id: '965220d5-5bb9-42cf-8d67-9b146df2a5a4', name: 'Build', locationUrl: collection },
    { id: '2e0bf237-8973-4ec9-a581-9c3d679d1776', name: 'pipelines', locationUrl: collection },
    { id: '00025394-6065-48ca-87d9-7f5672854ef7', name: 'Location Service', locationUrl: collection },
  ];
}

/** LocationsApi.getConnectionData: the authenticated identity is the scenario's. */
export function connectionData(organization: string, identity: string): Record<string, unknown> {
  const id = guidFor(`identity/${identity}`);
  const self = {
    id,
    descriptor: `Microsoft.TeamFoundation.ServiceIdentity;${guidFor(`collection/${organization}`)}:Build:${id}`,
    subjectDescriptor: `svc.${Buffer.from(id).toString('base64').replace(/=+$/, '')}`,
    providerDisplayName: identity,
    isActive: true,
    properties: { Account: { $type: 'System.String', $value: `Build\\${id}` } },
    resourceVersion: 2,
    metaTypeId: 255,
  };
  return {
    authenticatedUser: self,
    authorizedUser: self,
    instanceId: guidFor(`collection/${organization}`),
    deploymentId: guidFor(`deployment/${organization}`),
    deploymentType: 'hosted',
    locationServiceData: {
      serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7',
      defaultAccessMappingMoniker: 'PublicAccessMapping',
      lastChangeId: 1,
      lastChangeId64: 1,
    },
  };
}
