import { TypeInfo as BuildTypeInfo } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { Build, BuildDefinitionReference, BuildReason, RetentionLease, BuildQueryOrder, BuildStatus, DefinitionQueryOrder, StageUpdateType, Timeline } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { Run } from 'azure-devops-node-api/interfaces/PipelinesInterfaces';
import { TeamProject } from 'azure-devops-node-api/interfaces/CoreInterfaces';
import { EnvironmentStatus, Release, ReleaseDefinition, ReleaseDefinitionExpands, ReleaseExpands, ReleaseQueryOrder, ReleaseStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { JsonPatchOperation } from 'azure-devops-node-api/interfaces/common/VSSInterfaces';
import { Clients } from '../connection/connect';
import { NoEffectError } from '../errors';
import { callWithRetry, Operation, RequestContext } from './call-with-retry';

/** A query for the runs of several YAML/build pipelines of one project, answered by ONE request. */
export interface BuildQuery {
  definitionIds: number[];
  /** Only runs of this branch (refs/heads/...). */
  branchName?: string;
  /** Only runs carrying all these tags. */
  tags?: string[];
  /** Only runs with this run number (wildcard * allowed). */
  buildNumber?: string;
  /** Only these runs. */
  buildIds?: number[];
  /** Only runs started for these reasons (BuildReason is a flags enum: several reasons are OR-ed). */
  reasonFilter?: BuildReason;
  /** Build properties to return with each run (Lockstep's own records ride along in the same request). */
  properties?: string[];
  /** Newest runs kept per pipeline; absent: every run the other filters let through (up to the service's page). */
  maxPerDefinition?: number;
}

/** What else one page of a pipeline's runs may be narrowed to, and carry. */
export interface BuildPageFilters {
  reasonFilter?: BuildReason;
  properties?: string[];
}

const viewBuilds = { permission: 'View builds', grantedIn: 'Pipelines > (the pipeline) > More actions > Manage security' };
const viewReleases = { permission: 'View releases', grantedIn: 'Releases > (the release pipeline) > More actions > Security' };
const editBuildQuality = { permission: 'Edit build quality', grantedIn: 'Pipelines > (the pipeline) > More actions > Manage security' };
const updateBuildInformation = { permission: 'Update build information', grantedIn: 'Pipelines > (the pipeline) > More actions > Manage security' };
const manageReleases = { permission: 'Manage releases', grantedIn: 'Releases > (the release pipeline) > More actions > Security' };
const queueBuilds = { permission: 'Queue builds', grantedIn: 'Pipelines > (the pipeline) > More actions > Manage security' };
const retainIndefinitely = { permission: 'Retain indefinitely', grantedIn: 'Pipelines > (the pipeline) > More actions > Manage security' };
const stopBuilds = { permission: 'Stop builds', grantedIn: 'Pipelines > (the pipeline) > More actions > Manage security' };
const manageDeployments = { permission: 'Manage deployments', grantedIn: 'Releases > (the release pipeline) > More actions > Security' };
/** Build › Builds (list, get, update, queue). */
const buildsLocation = '0cd358e1-9217-4d94-8269-1c1ee6f93dcf';
/** Build › Definitions (list, get). */
const definitionsLocation = 'dbeaf647-6167-421a-bda9-c9327b25e2e6';
/** Security › Permissions › Has Permissions Batch. */
const permissionEvaluationBatchLocation = 'cf1faa59-1b63-4448-bf04-13d981a46f5d';
const viewProject = { permission: 'View project-level information', grantedIn: 'Project settings > Permissions' };

/**
 * The requests the core makes, each under the retry policy and named for messages.
 * A 404 from the client library arrives as null; each method says what null means.
 */
export class AzureDevOps {
  private identityName?: Promise<string>;
  readonly ctx: RequestContext;

  constructor(
    readonly clients: Clients,
    ctx: Omit<RequestContext, 'identity'>,
    private readonly connectionName?: string,
  ) {
    this.ctx = { ...ctx, identity: () => this.identity() };
  }

  /**
   * The same requests under a fresh signal that ends after `ms`: for the clean-up a canceled task still owes
   * (withdrawing an arrival) after the job's own signal has aborted.
   */
  forCleanup(ms: number): AzureDevOps {
    const { identity: _identity, ...ctx } = this.ctx;
    return new AzureDevOps(this.clients, { ...ctx, signal: AbortSignal.timeout(ms), deadline: undefined }, this.connectionName);
  }

  /**
   * The same requests, deaf to the job's cancellation: for a step that must not stop halfway (issuing a rollback).
   * The caller checks for cancellation between steps.
   */
  uninterruptible(): AzureDevOps {
    const { identity: _identity, ...ctx } = this.ctx;
    return new AzureDevOps(this.clients, { ...ctx, signal: new AbortController().signal }, this.connectionName);
  }

  /** Who the token belongs to, as Azure DevOps names it (for permission errors). */
  identity(): Promise<string> {
    this.identityName ??= this.clients.locations.getConnectionData().then(
      (data) => {
        const name = data?.authenticatedUser?.providerDisplayName ?? 'The identity of this job';
        return this.connectionName ? `${name} (service connection '${this.connectionName}')` : name;
      },
      () => (this.connectionName ? `The identity of service connection '${this.connectionName}'` : 'The identity of this job'),
    );
    return this.identityName;
  }

  /** null when the project does not exist (or is not visible to this identity). */
  getProject(project: string): Promise<TeamProject | null> {
    return this.call({ method: 'GET', what: `project '${project}'`, project, ...viewProject }, () => this.clients.core.getProject(project));
  }

  async listProjectNames(): Promise<string[]> {
    const projects = await this.call({ method: 'GET', what: 'the projects of the organization', project: '-', ...viewProject }, () =>
      this.clients.core.getProjects(undefined, 1000),
    );
    return (projects ?? []).map((p) => p.name!).filter(Boolean);
  }

  /** null when the project does not exist. */
  async listBuildDefinitions(project: string): Promise<BuildDefinitionReference[] | null> {
    const all: BuildDefinitionReference[] = [];
    let token: string | undefined;
    do {
      const page = await this.buildPage<BuildDefinitionReference>(`pipelines of project '${project}'`, project, definitionsLocation, '7.2-preview.7', BuildTypeInfo.BuildDefinitionReference, {
        queryOrder: DefinitionQueryOrder.DefinitionNameAscending,
        $top: 1000,
        continuationToken: token,
      });
      if (page.items === null) return null;
      all.push(...page.items);
      token = page.continuationToken;
    } while (token);
    return all;
  }


  /** The newest runs of several pipelines in ONE request (definitions=a,b,c), newest first. */
  async listBuilds(project: string, query: BuildQuery): Promise<Build[]> {
    const names = query.definitionIds.join(',');
    const builds = await this.call({ method: 'GET', what: `runs of pipelines ${names} in project '${project}'`, project, ...viewBuilds }, () =>
      this.clients.build.getBuilds(
        project,
        query.definitionIds,
        undefined,
        query.buildNumber,
        undefined,
        undefined,
        undefined,
        query.reasonFilter,
        undefined,
        undefined,
        query.tags,
        query.properties,
        undefined,
        undefined,
        query.maxPerDefinition,
        undefined,
        BuildQueryOrder.QueueTimeDescending,
        query.branchName,
        query.buildIds,
      ),
    );
    return builds ?? [];
  }

  /**
   * One page of a pipeline's runs on one branch, newest first, and the token for the next page. The client's
   * getBuilds drops the continuation token (it travels in a header), so this asks through the client's own
   * location negotiation and REST client, and reads the header itself.
   */
  async listBuildsPage(
    project: string,
    definitionId: number,
    branchName: string | undefined,
    top: number,
    continuationToken?: string,
    queryOrder: BuildQueryOrder = BuildQueryOrder.QueueTimeDescending,
    filters: BuildPageFilters = {},
  ): Promise<{ builds: Build[]; continuationToken?: string }> {
    const page = await this.buildPage<Build>(`runs of pipeline ${definitionId}${branchName ? ` on ${branchName}` : ''} in project '${project}'`, project, buildsLocation, '7.2-preview.7', BuildTypeInfo.Build, {
      definitions: String(definitionId),
      branchName,
      reasonFilter: filters.reasonFilter,
      properties: filters.properties?.join(','),
      $top: top,
      continuationToken,
      queryOrder,
    });
    return { builds: page.items ?? [], continuationToken: page.continuationToken };
  }

  /**
   * One page of a Build-area list and the token for the next. The client's list methods drop the continuation token
   * (it travels in the x-ms-continuationtoken header), so this asks through the client's own location negotiation
   * and REST client and reads the header itself; the answer is unwrapped and typed as the client's methods do.
   * items is null when the project does not exist (404).
   */
  private async buildPage<T>(what: string, project: string, locationId: string, version: string, typeInfo: unknown, query: Record<string, unknown>): Promise<{ items: T[] | null; continuationToken?: string }> {
    const build = this.clients.build;
    const page = await this.call({ method: 'GET', what, project, ...viewBuilds }, async () => {
      const location = await build.vsoClient.getVersioningData(version, 'build', locationId, { project }, query);
      return build.rest.get<unknown>(location.requestUrl!, build.createRequestOptions('application/json', location.apiVersion));
    });
    if (page.result === null) return { items: null };
    const headers = page.headers as Record<string, string | undefined>;
    return { items: (build.formatResponse(page.result, typeInfo, true) as T[] | null) ?? [], continuationToken: headers['x-ms-continuationtoken'] || undefined };
  }


  /**
   * The newest run of one pipeline, whatever its state, on one branch and for some reasons when asked; used to list
   * the stages of its last run.
   */
  async latestBuild(project: string, definitionId: number, filters: { branchName?: string; reasonFilter?: BuildReason } = {}): Promise<Build | undefined> {
    const on = filters.branchName ? ` on ${filters.branchName}` : '';
    const builds = await this.call({ method: 'GET', what: `the last run of pipeline ${definitionId}${on} in project '${project}'`, project, ...viewBuilds }, () =>
      this.clients.build.getBuilds(project, [definitionId], undefined, undefined, undefined, undefined, undefined, filters.reasonFilter, BuildStatus.All, undefined, undefined, undefined, 1, undefined, undefined, undefined, BuildQueryOrder.QueueTimeDescending, filters.branchName),
    );
    return builds?.[0];
  }

  /** null when the run has no timeline yet; with a timeline id, the records of an earlier attempt (previousAttempts). */
  getTimeline(project: string, buildId: number, timelineId?: string): Promise<Timeline | null> {
    return this.call({ method: 'GET', what: `the timeline${timelineId ? ` ${timelineId}` : ''} of run ${buildId} in project '${project}'`, project, ...viewBuilds }, () =>
      this.clients.build.getBuildTimeline(project, buildId, timelineId),
    );
  }

  /** null when the project does not exist. */
  listReleaseDefinitions(project: string): Promise<ReleaseDefinition[] | null> {
    return this.call({ method: 'GET', what: `classic release pipelines of project '${project}'`, project, ...viewReleases }, () =>
      this.clients.release.getReleaseDefinitions(project, undefined, ReleaseDefinitionExpands.Environments),
    );
  }

  /**
   * The newest releases of one classic release pipeline, with environments and artifacts; with `status`, only
   * releases in that state (active leaves out drafts and abandoned releases).
   */
  async listReleases(project: string, definitionId: number, top: number, tags?: string[], status?: ReleaseStatus): Promise<Release[]> {
    const releases = await this.call({ method: 'GET', what: `releases of classic release pipeline ${definitionId} in project '${project}'`, project, ...viewReleases }, () =>
      this.clients.release.getReleases(
        project,
        definitionId,
        undefined,
        undefined,
        undefined,
        status,
        undefined,
        undefined,
        undefined,
        ReleaseQueryOrder.Descending,
        top,
        undefined,
        ReleaseExpands.Environments | ReleaseExpands.Artifacts | ReleaseExpands.Tags,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        tags,
      ),
    );
    return releases ?? [];
  }

  /** null when the run does not exist. */
  getBuild(project: string, buildId: number): Promise<Build | null> {
    return this.call({ method: 'GET', what: `run ${buildId} in project '${project}'`, project, ...viewBuilds }, () => this.clients.build.getBuild(project, buildId));
  }

  /**
   * Adds and removes tags in one request; the tags travel in the body, so any character is safe. The answer is the
   * run's whole tag list: it must show the change, or the write had no effect (a vanished run answers 404 = null).
   */
  async updateBuildTags(project: string, buildId: number, add: string[], remove: string[]): Promise<string[]> {
    const what = `the tags of run ${buildId} in project '${project}'`;
    const tags = await this.call({ method: 'PATCH', what, project, ...editBuildQuality }, () =>
      this.clients.build.updateBuildTags({ tagsToAdd: add, tagsToRemove: remove }, project, buildId),
    );
    checkTags('PATCH', what, tags, add, remove);
    return tags!;
  }

  /** Some properties of one run, in the client's shape ({Name: {$type, $value}}); null when the run does not exist. */
  async getBuildProperties(project: string, buildId: number, names: string[]): Promise<Record<string, unknown> | null> {
    const collection = await this.call({ method: 'GET', what: `the properties of run ${buildId} in project '${project}'`, project, ...viewBuilds }, () =>
      this.clients.build.getBuildProperties(project, buildId, names),
    );
    // The client does not unwrap this one: the wire's PropertiesCollection is {count, value: {Name: {$type, $value}}}.
    return collection === null ? null : ((collection as { value?: Record<string, unknown> }).value ?? {});
  }

  /**
   * Sets (a string) or removes (null) build properties, in one json-patch request. The answer is the run's
   * properties after the change: each value must read back as written, or the write had no effect.
   */
  async setBuildProperties(project: string, buildId: number, values: Record<string, string | null>): Promise<void> {
    // The service reads json-patch ops as the RFC spells them ("add"), not as the client's enum numbers.
    const document = Object.entries(values).map(([name, value]) =>
      (value === null ? { op: 'remove', path: `/${name}` } : { op: 'add', path: `/${name}`, value }) as unknown as JsonPatchOperation,
    );
    const what = `the properties of run ${buildId} in project '${project}'`;
    const answer = await this.call({ method: 'PATCH', what, project, ...updateBuildInformation }, () =>
      this.clients.build.updateBuildProperties(undefined, document, project, buildId),
    );
    if (answer === null) throw new NoEffectError('Error_NoEffect', ['PATCH', what, 'the run no longer exists (deleted, perhaps by retention)']);
    const stored = ((answer as { value?: Record<string, unknown> }).value ?? answer) as Record<string, unknown>;
    for (const [name, value] of Object.entries(values)) {
      const entry = Object.entries(stored).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] as { $value?: unknown } | undefined;
      const readBack = entry && typeof entry === 'object' && '$value' in entry ? entry.$value : entry;
      if (value === null ? readBack !== undefined : String(readBack) !== value) {
        throw new NoEffectError('Error_NoEffect', ['PATCH', what, `property ${name} reads back ${readBack === undefined ? 'absent' : 'with another value'}`]);
      }
    }
  }

  /**
   * Retries a finished stage of a run (every job, not only the failed ones): the stage runs again as a new attempt.
   * The service answers 204 with no body, and the client turns a 404 (a vanished run or stage) into the same nothing:
   * the caller confirms the new attempt on the timeline (see RollbackSteps).
   */
  async retryStage(project: string, buildId: number, stage: string): Promise<void> {
    await this.call({ method: 'PATCH', what: `retry of stage ${stage} of run ${buildId} in project '${project}'`, project, ...queueBuilds }, () =>
      this.clients.build.updateStage({ state: StageUpdateType.Retry, forceRetryAllJobs: true, retryDependencies: false }, buildId, stage, project),
    );
  }

  /** The retention leases an owner holds on one pipeline's runs. */
  async listRetentionLeases(project: string, ownerId: string, definitionId: number): Promise<RetentionLease[]> {
    const leases = await this.call({ method: 'GET', what: `the retention leases of pipeline ${definitionId} in project '${project}'`, project, ...viewBuilds }, () =>
      this.clients.build.getRetentionLeasesByOwnerId(project, ownerId, definitionId),
    );
    return leases ?? [];
  }

  /** Keeps one run from retention until the lease is removed; the answer must be the new lease. */
  async addRetentionLease(project: string, lease: { definitionId: number; runId: number; ownerId: string; daysValid: number }): Promise<RetentionLease> {
    const what = `a retention lease on run ${lease.runId} in project '${project}'`;
    const added = await this.call({ method: 'POST', what, project, ...retainIndefinitely }, () =>
      this.clients.build.addRetentionLeases([{ ...lease, protectPipeline: false }], project),
    );
    const mine = added?.find((l) => l.runId === lease.runId);
    if (!mine) throw new NoEffectError('Error_NoEffect', ['POST', what, 'the run no longer exists']);
    return mine;
  }

  async deleteRetentionLeases(project: string, ids: number[]): Promise<void> {
    await this.call({ method: 'DELETE', what: `retention leases ${ids.join(', ')} in project '${project}'`, project, ...retainIndefinitely }, () =>
      this.clients.build.deleteRetentionLeasesById(project, ids),
    );
  }

  /** Asks a run in progress to cancel; the answer is the run, which must be canceling (or already done). */
  async cancelBuild(project: string, buildId: number): Promise<void> {
    const what = `cancel of run ${buildId} in project '${project}'`;
    const build = await this.call({ method: 'PATCH', what, project, ...stopBuilds }, () =>
      this.clients.build.updateBuild({ status: BuildStatus.Cancelling }, project, buildId),
    );
    if (build === null) throw new NoEffectError('Error_NoEffect', ['PATCH', what, 'the run no longer exists']);
    if (build.status !== BuildStatus.Cancelling && build.status !== BuildStatus.Completed) {
      throw new NoEffectError('Error_NoEffect', ['PATCH', what, `the run is still ${BuildStatus[build.status ?? 0] ?? build.status}`]);
    }
  }

  /** Queues a YAML pipeline at a commit, with template parameters; the answer must be the new run. */
  async queuePipelineRun(project: string, pipelineId: number, commit: string, branch: string | undefined, templateParameters: Record<string, string>): Promise<Run> {
    const what = `a new run of pipeline ${pipelineId} in project '${project}'`;
    const run = await this.call({ method: 'POST', what, project, ...queueBuilds }, () =>
      this.clients.pipelines.runPipeline({ templateParameters, resources: { repositories: { self: { refName: branch, version: commit } } } }, project, pipelineId),
    );
    if (!run?.id) throw new NoEffectError('Error_NoEffect', ['POST', what, 'no run was created (the pipeline may no longer exist)']);
    return run;
  }

  /**
   * Deploys (or redeploys) one environment of a classic release, or cancels its deployment. The answer is the
   * environment, which must show the change: queued, scheduled or deploying after a deploy; canceled (or already
   * finished) after a cancel.
   */
  async updateReleaseEnvironment(project: string, releaseId: number, environmentId: number, status: EnvironmentStatus, comment: string): Promise<void> {
    const what = `environment ${environmentId} of release ${releaseId} in project '${project}'`;
    const env = await this.call({ method: 'PATCH', what, project, ...manageDeployments }, () =>
      this.clients.release.updateReleaseEnvironment({ status, comment }, project, releaseId, environmentId),
    );
    if (env === null) throw new NoEffectError('Error_NoEffect', ['PATCH', what, 'the release or its environment no longer exists']);
    const now = env.status;
    const took =
      status === EnvironmentStatus.Canceled
        ? now !== EnvironmentStatus.InProgress && now !== EnvironmentStatus.Queued
        : now === EnvironmentStatus.Queued || now === EnvironmentStatus.InProgress || now === EnvironmentStatus.Scheduled;
    if (!took) throw new NoEffectError('Error_NoEffect', ['PATCH', what, `the environment is ${EnvironmentStatus[now ?? 0] ?? now}`]);
  }

  /** null when the release does not exist. */
  getRelease(project: string, releaseId: number): Promise<Release | null> {
    return this.call({ method: 'GET', what: `release ${releaseId} in project '${project}'`, project, ...viewReleases }, () => this.clients.release.getRelease(project, releaseId));
  }

  /** The answer is the release's whole tag list, which must hold the new tags. */
  async addReleaseTags(project: string, releaseId: number, tags: string[]): Promise<string[]> {
    const what = `the tags of release ${releaseId} in project '${project}'`;
    const result = await this.call({ method: 'POST', what, project, ...manageReleases }, () => this.clients.release.addReleaseTags(tags, project, releaseId));
    checkTags('POST', what, result, tags, []);
    return result!;
  }

  /**
   * The tag travels in the URL path, where the service refuses `< > * % & : \ ?` even percent-encoded (400) and drops a
   * trailing '.': callers pass only tags spelled for a release (tagText(…, 'release'), the release marks, wait tags).
   */
  async deleteReleaseTag(project: string, releaseId: number, tag: string): Promise<string[]> {
    const what = `tag '${tag}' of release ${releaseId} in project '${project}'`;
    const result = await this.call({ method: 'DELETE', what, project, ...manageReleases }, () => this.clients.release.deleteReleaseTag(project, releaseId, tag));
    checkTags('DELETE', what, result, [], [tag]);
    return result!;
  }

  /**
   * Evaluates the caller's own permissions in one request (Security › Permission Evaluation Batch): one answer per
   * evaluation, in order. null when the service does not serve the route. It changes nothing, though it is a POST.
   */
  async evaluatePermissions(evaluations: Array<{ securityNamespaceId: string; token: string; permissions: number }>): Promise<boolean[] | null> {
    const security = this.clients.security;
    const answer = await this.call({ method: 'POST', what: `the permission evaluation of ${evaluations.length} permissions`, project: '-', ...viewProject }, async () => {
      const location = await security.vsoClient.getVersioningData('7.1-preview.1', 'Security', permissionEvaluationBatchLocation, {});
      const response = await security.rest.create<{ evaluations?: Array<{ value?: boolean }> }>(
        location.requestUrl!,
        { alwaysAllowAdministrators: false, evaluations },
        security.createRequestOptions('application/json', location.apiVersion),
      );
      return response.result;
    });
    if (!answer?.evaluations || answer.evaluations.length !== evaluations.length) return null;
    return answer.evaluations.map((e) => e.value === true);
  }

  private call<T>(operation: Operation, request: () => Promise<T>): Promise<T> {
    return callWithRetry(operation, request, this.ctx);
  }
}

/** A tag write answers with the run's whole tag list: the added tags must be in it and the removed ones gone. */
function checkTags(method: string, what: string, tags: string[] | null | undefined, added: string[], removed: string[]): void {
  if (tags === null || tags === undefined) throw new NoEffectError('Error_NoEffect', [method, what, 'the run no longer exists (deleted, perhaps by retention)']);
  const has = new Set(tags.map((t) => t.toLowerCase()));
  const absent = added.filter((t) => !has.has(t.toLowerCase()));
  const stays = removed.filter((t) => has.has(t.toLowerCase()));
  if (absent.length || stays.length) {
    throw new NoEffectError('Error_NoEffect', [method, what, [absent.length ? `${absent.join(', ')} not there` : '', stays.length ? `${stays.join(', ')} still there` : ''].filter(Boolean).join('; ')]);
  }
}
