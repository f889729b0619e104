import { BuildApi } from 'azure-devops-node-api/BuildApi';
import { ClientApiBase } from 'azure-devops-node-api/ClientApiBases';
import { CoreApi } from 'azure-devops-node-api/CoreApi';
import { LocationsApi } from 'azure-devops-node-api/LocationsApi';
import { PipelinesApi } from 'azure-devops-node-api/PipelinesApi';
import { ReleaseApi } from 'azure-devops-node-api/ReleaseApi';
import { BearerCredentialHandler } from 'azure-devops-node-api/handlers/bearertoken';
import { PersonalAccessTokenCredentialHandler } from 'azure-devops-node-api/handlers/personalaccesstoken';
import { IRequestHandler, IRequestOptions } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces';
import { callWithRetry, RequestContext } from '../client/call-with-retry';
import { RequestPacing } from '../client/request-pacing';
import { ConnectionSettings } from './connection-settings';

/** The Release API lives on its own host (vsrm.dev.azure.com); ResourceAreas maps this id to it. */
const releaseAreaId = 'efc2f575-36ef-48e9-b672-0c6fb4a48ac5';
const userAgent = 'Lockstep';

/** The azure-devops-node-api clients the core uses, created once (each new client negotiates its locations again). */
export interface Clients {
  collectionUrl: string;
  releaseUrl: string;
  build: BuildApi;
  release: ReleaseApi;
  pipelines: PipelinesApi;
  core: CoreApi;
  locations: LocationsApi;
  /** The Security area (permission evaluation), which the library has no typed client for: its generic base. */
  security: ClientApiBase;
}

/**
 * Creates the individual API clients rather than WebApi, which would pull every client of the library
 * into each task's bundle; it does what WebApi does to find the release host (GET _apis/ResourceAreas).
 */
export async function connect(settings: ConnectionSettings, ctx: Omit<RequestContext, 'identity'>): Promise<Clients> {
  const collectionUrl = settings.collectionUrl.replace(/\/+$/, '');
  const handler = credentialHandler(settings.token);
  const options: IRequestOptions = {
    socketTimeout: ctx.policy.requestTimeoutMs,
    allowRetries: false,
    ...(settings.proxy ? { proxy: settings.proxy } : {}),
  };
  const locations = new LocationsApi(collectionUrl, [handler], options, userAgent);
  const fullCtx: RequestContext = { ...ctx, identity: async () => 'The identity of this job' };
  const areas = await callWithRetry(
    { method: 'GET', what: `${collectionUrl}/_apis/ResourceAreas`, permission: 'View project-level information', project: '-', grantedIn: 'Project settings > Permissions' },
    () => locations.getResourceAreas(),
    fullCtx,
  );
  // An empty list (or {count:0,value:null} on Azure DevOps Server) means: everything on the collection URL.
  const releaseArea = Array.isArray(areas) ? areas.find((a) => a.id?.toLowerCase() === releaseAreaId) : undefined;
  const releaseUrl = (releaseArea?.locationUrl ?? collectionUrl).replace(/\/+$/, '');
  const clients = {
    collectionUrl,
    releaseUrl,
    locations,
    build: new BuildApi(collectionUrl, [handler], options, userAgent),
    release: new ReleaseApi(releaseUrl, [handler], options, userAgent),
    pipelines: new PipelinesApi(collectionUrl, [handler], options, userAgent),
    core: new CoreApi(collectionUrl, [handler], options, userAgent),
    security: new ClientApiBase(collectionUrl, [handler], userAgent, options),
  };
  if (ctx.pacing) for (const api of [locations, clients.build, clients.release, clients.pipelines, clients.core, clients.security]) watchRateLimits(api, ctx.pacing);
  return clients;
}

/**
 * The typed clients keep response headers of a successful answer to themselves (a 204 has no result to attach them
 * to): read every answer's rate-limit headers where its HTTP client hands it back.
 */
function watchRateLimits(api: ClientApiBase, pacing: RequestPacing): void {
  const http = api.rest.client;
  const request = http.request.bind(http);
  http.request = async (...args: Parameters<typeof request>) => {
    const response = await request(...args);
    pacing.observe(response.message?.headers);
    return response;
  };
}

/** As the library's getHandlerFromToken: Basic for a personal access token, Bearer for the job's OAuth token. */
function credentialHandler(token: string): IRequestHandler {
  const isPat = token.length === 52 || /^.{76}AZDO.{4}$/.test(token);
  return isPat ? new PersonalAccessTokenCredentialHandler(token, false) : new BearerCredentialHandler(token, false);
}
