/**
 * The scenario: everything the emulated organization holds, as JSON-serialisable data.
 * Times are scenario milliseconds relative to the emulator's start (negative = before it).
 * See emulator/README.md for an example.
 */
import type { FaultRule } from './faults';

export type BuildStatus = 'notStarted' | 'inProgress' | 'completed' | 'cancelling' | 'postponed';
export type BuildResult = 'succeeded' | 'partiallySucceeded' | 'failed' | 'canceled';
export type RecordState = 'pending' | 'inProgress' | 'completed';
export type TaskResult = 'succeeded' | 'succeededWithIssues' | 'failed' | 'canceled' | 'skipped' | 'abandoned';
export type EnvironmentStatus =
  | 'notStarted' | 'inProgress' | 'succeeded' | 'canceled' | 'rejected' | 'queued' | 'scheduled' | 'partiallySucceeded';
export type ReleaseStatus = 'draft' | 'active' | 'abandoned';

/** Permission names as the service's security UI spells them. */
export type PermissionName =
  | 'View builds' | 'View build pipeline' | 'Edit build quality' | 'Update build information' | 'Queue builds' | 'Stop builds'
  | 'Retain indefinitely'
  | 'View releases' | 'View release pipeline' | 'Manage deployments' | 'Manage releases' | 'Create releases';

export interface Scenario {
  /** Organization name in the URLs; default "lockstep". */
  organization?: string;
  /** The one valid token (PAT or bearer); default a fixed 52-character PAT-looking string. */
  token?: string;
  /** Display name of the caller; default "Project Collection Build Service (<organization>)". */
  identity?: string;
  /** ISO date of scenario time 0; default the moment the emulator starts. Fix it for reproducible dates. */
  startDate?: string;
  permissions?: Permissions;
  auth?: {
    /** Answer 401 to every request after the first N (a token that expires mid-run). */
    failAfterRequests?: number;
  };
  /** How the emulated service reacts to writes; every field has a default. */
  behaviour?: Partial<Behaviour>;
  projects: ProjectInput[];
  /** Changes that happen on their own at scenario times. */
  events?: ScenarioEvent[];
  /** Fault rules active from the start (path is a regular expression source string here). */
  faults?: FaultRule[];
}

export interface Permissions {
  /** Permissions the caller does not have (everything else is allowed). */
  deny?: PermissionDenial[];
  /**
   * Denials that model a real identity's defaults, added to `deny`. "buildService": the build service
   * identity, which does not have Manage deployments anywhere; everything else allowed.
   */
  preset?: 'buildService';
  /**
   * How the permission-evaluation API (Has Permissions, Has Permissions Batch) behaves: "answer" (default)
   * evaluates from the denials; "forbidden" answers 403; "absent" serves neither route (404 controller not
   * found, and OPTIONS _apis/Security lists nothing).
   */
  evaluation?: PermissionEvaluationMode;
}

export type PermissionEvaluationMode = 'answer' | 'forbidden' | 'absent';

/**
 * A permission the caller lacks. The scope fields narrow it; a denial covers its scope and everything
 * below it (project > folder > definition > release environment), never the scopes above it.
 */
export interface PermissionDenial {
  permission: PermissionName;
  /** Project name or id; omitted = every project. */
  project?: string;
  /** Build or release definition name or id; omitted = every definition in the project. */
  definition?: string | number;
  /** Definition folder such as "\\team\\svc": every definition in it and in the folders below it. */
  folder?: string;
  /** Classic release environment: its name, or its definition-environment id (for Manage deployments). */
  environment?: string | number;
}

export interface Behaviour {
  /** A retried stage runs this long before it completes. Default 2000. */
  stageRetryMs: number;
  /** Result of a retried stage. Default "succeeded". */
  stageRetryResult: TaskResult;
  /**
   * A stage retry ignores `retryDependencies: false` and runs every later completed stage again after it, as a
   * service that does not know the field (it is not in the 7.1 contract) might. Default false.
   */
  retryDependenciesIgnored: boolean;
  /** A manual stage a person starts runs this long. Default 2000. */
  manualStageMs: number;
  /** Result of a manual stage a person starts. Default "succeeded". */
  manualStageResult: TaskResult;
  /**
   * A queued run runs its definition's stages, each this long, a stage once those it depends on have succeeded
   * (one after another by default; stages with the same dependencies at the same time). Default 3000.
   */
  queuedRunMs: number;
  /** Result of each stage of a queued run. Default "succeeded". */
  queuedRunResult: TaskResult;
  /** A build asked to cancel stays "cancelling" this long. Default 1000. */
  cancelMs: number;
  /** A redeployed release environment deploys this long. Default 3000. */
  redeployMs: number;
  /** Final status of a redeploy. Default "succeeded". */
  redeployResult: EnvironmentStatus;
  /**
   * Builds - List with `properties=a,b`: "filled" (default) puts the named properties on each build;
   * "absent" leaves the `properties` key out (GET builds/{id}/properties still answers them).
   */
  listProperties: 'filled' | 'absent';
  /**
   * A retried stage waits for an approval before it runs: stage record pending, a Checkpoint record
   * inProgress with a Checkpoint.Approval child, until a stage event `approve: true` or `reject: true`.
   * Default false.
   */
  stageRetryApproval: boolean;
  /**
   * Retention (a `{retention: true}` event or state.applyRetention()) keeps this many newest completed
   * runs of each pipeline, whatever their leases. Default 3.
   */
  retentionKeepNewest: number;
  /**
   * The service's web front on tag routes that take the tag in the URL path (PUT/DELETE build tag, PATCH/DELETE
   * release tag): a decoded tag holding `< > * % & : \ ?` answers 400 HttpException "A potentially dangerous
   * Request.Path value was detected from the client (:)."; trailing dots are dropped. Default true; false takes
   * the decoded tag as it is.
   */
  pathRule: boolean;
  /**
   * The service answers no cross-origin request: preflights get a plain 200 and answers carry no Access-Control
   * headers, so a browser blocks every request of a page served from another origin. Default false (the service's
   * CORS, see emulator/cors.ts).
   */
  corsRefused: boolean;
}

export interface ProjectInput {
  name: string;
  /** GUID; default derived from the name. */
  id?: string;
  description?: string;
  buildDefinitions?: BuildDefinitionInput[];
  releaseDefinitions?: ReleaseDefinitionInput[];
  builds?: BuildInput[];
  releases?: ReleaseInput[];
  /** Retention leases on this project's runs that exist at the start (ids 1, 2, ... in order). */
  leases?: LeaseInput[];
}

/** A retention lease, as Leases - Add takes it (NewRetentionLease) plus when it was made. */
export interface LeaseInput {
  /** The run it keeps; its pipeline is the lease's definitionId. */
  runId: number;
  /** Default "User:" + the caller's identity id. */
  ownerId?: string;
  /** Default 36500 ("forever" in the web UI). */
  daysValid?: number;
  protectPipeline?: boolean;
  /** Scenario ms; default the run's finish time (or 0). */
  createdOn?: number;
}

export interface BuildDefinitionInput {
  id: number;
  name: string;
  /** Folder, e.g. "\\" (default) or "\\team\\svc". */
  path?: string;
  /** The YAML pipeline's stages in order; default one implicit stage "__default". */
  stages?: Array<string | StageDefinitionInput>;
  yamlFilename?: string;
  repository?: { id?: string; name?: string; type?: string; defaultBranch?: string };
}

export interface StageDefinitionInput {
  identifier: string;
  /** Display name; default the identifier. */
  name?: string;
  /**
   * The stages this one waits for, as YAML `dependsOn`: default the stage before it (none for the first); `[]` runs it
   * at the start, beside the others. Stages whose dependencies are met run at the same time.
   */
  dependsOn?: string[];
  /**
   * YAML `trigger`: "manual" stages never start by themselves. A run completes while only they (and the stages that
   * depend on them) remain, pending; a person starts one later (stage event `run: true`, or PATCH
   * stages/{ref} `{state: 2}`). A manual stage has no dependencies (the service refuses `dependsOn` on one).
   */
  trigger?: 'manual' | 'automatic';
}

export interface BuildInput {
  id: number;
  /** Definition id or name. */
  definition: number | string;
  /** Project name or id; needed only in a queueBuild event. */
  project?: string;
  buildNumber?: string;
  sourceBranch?: string;
  sourceVersion?: string;
  tags?: string[];
  /** Build properties; strings, numbers and booleans keep their type. */
  properties?: Record<string, unknown>;
  /** Default "completed" with result "succeeded" (or "notStarted" in a queueBuild event). */
  status?: BuildStatus;
  result?: BuildResult;
  queueTime?: number;
  startTime?: number;
  finishTime?: number;
  /**
   * A BuildReason name: manual, individualCI, batchedCI, schedule, pullRequest, resourceTrigger,
   * buildCompletion ...; default "manual". individualCI and batchedCI get ci.* triggerInfo, pullRequest
   * pr.* triggerInfo and system.pullRequest.* parameters (see pullRequest).
   */
  reason?: string;
  /** The pull request a `reason: "pullRequest"` build ran for; sourceBranch defaults to refs/pull/{number}/merge. */
  pullRequest?: PullRequestInput;
  /** triggerInfo as given, instead of the one the reason derives (flat map of dotted keys, string values). */
  triggerInfo?: Record<string, string>;
  /** Display name of the person the build ran for. */
  requestedFor?: string;
  templateParameters?: Record<string, string>;
  /** JSON text of queue-time variables, as the service keeps it. */
  parameters?: string;
  /** Timeline stages; default derived from the definition's stages and the build's status. */
  stages?: StageInput[];
}

export interface PullRequestInput {
  number: number;
  /** The provider's pull request id; default the number. */
  id?: number;
  /** The topic branch; default "refs/heads/topic/{number}". */
  sourceBranch?: string;
  /** Default the repository's default branch. */
  targetBranch?: string;
  title?: string;
  /** The topic branch's head commit; default derived from the number. */
  sourceSha?: string;
  isFork?: boolean;
}

export interface StageInput {
  identifier: string;
  name?: string;
  /** As on the stage definition (default: the definition's, else the stage before this one). */
  dependsOn?: string[];
  /** As on the stage definition (default: the definition's). A manual stage left pending is one a person can start. */
  trigger?: 'manual' | 'automatic';
  state?: RecordState;
  result?: TaskResult;
  /** n fabricates n-1 failed earlier attempts (with this record's times), each on its own timeline. */
  attempt?: number;
  startTime?: number;
  finishTime?: number;
  /**
   * The stage's attempts, earliest first; the last one is the current record (the stage's own state,
   * result and times win over it). Each earlier attempt keeps its own result (default failed) and times
   * on its own timeline. `attempt`, when given too, must equal the number of entries.
   */
  attempts?: StageAttemptInput[];
}

export interface StageAttemptInput {
  /** Earlier attempts: default "failed". The last (current) attempt: default as the stage's result. */
  result?: TaskResult;
  /** Only the last (current) attempt may be unfinished; earlier ones are completed. */
  state?: RecordState;
  startTime?: number;
  finishTime?: number;
}

export interface ReleaseDefinitionInput {
  id: number;
  name: string;
  /** Folder, e.g. "\\" (default) or "\\team". */
  path?: string;
  environments: Array<string | ReleaseDefinitionEnvironmentInput>;
}

export interface ReleaseDefinitionEnvironmentInput {
  id?: number;
  name: string;
  /**
   * Queuing policy for subsequent releases: "allInSequence" (default; queueDepthCount 0) or
   * "latestOnly" ("Deploy latest and cancel the others"; queueDepthCount 1).
   */
  queuePolicy?: 'allInSequence' | 'latestOnly';
  /** Number of parallel deployments; 0 = unlimited. Default 1. */
  concurrency?: number;
}

export interface ReleaseInput {
  id: number;
  /** Release definition id or name. */
  definition: number | string;
  /** Project name or id; needed only in a createRelease event. */
  project?: string;
  /** Default "Release-<id>". */
  name?: string;
  status?: ReleaseStatus;
  description?: string;
  reason?: 'manual' | 'continuousIntegration' | 'schedule' | 'pullRequest' | 'none';
  createdBy?: string;
  createdOn?: number;
  artifacts?: ArtifactInput[];
  tags?: string[];
  /** Status per environment by name; environments left out are "notStarted". */
  environments?: ReleaseEnvironmentInput[];
}

export interface ReleaseEnvironmentInput {
  name: string;
  status?: EnvironmentStatus;
  /**
   * The deployment attempt the status belongs to (default 1): n fabricates n-1 earlier attempts that succeeded,
   * each a deploy step of its own (a redeploy is `redeployTrigger`). Needs a status other than notStarted.
   */
  attempt?: number;
}

export interface ArtifactInput {
  alias: string;
  isPrimary?: boolean;
  /**
   * "Build" (default): a pipeline run's artifact. "Git" (Azure Repos) or "GitHub": a repository's commit — the
   * release's artifact version is the commit itself (`sourceVersion` here), with `branch` and `repository`.
   */
  type?: 'Build' | 'Git' | 'GitHub';
  /** The build this artifact version is; fills the fields below when they are left out (Build artifacts). */
  buildId?: number;
  buildNumber?: string;
  /** The commit: of the build (Build), or the artifact version itself (Git, GitHub). */
  sourceVersion?: string;
  branch?: string;
  /** Build definition id or name (Build artifacts). */
  definition?: number | string;
  /** The repository's name (Git: an Azure Repos repository of the project; GitHub: owner/name). Default "app". */
  repository?: string;
}

/** A change at scenario time `at` (ms). */
export type ScenarioEvent =
  | StageEvent
  | BuildEvent
  | QueueBuildEvent
  | ReleaseEnvironmentEvent
  | CreateReleaseEvent
  | DeleteBuildEvent
  | RetentionEvent;

export interface StageEvent {
  at: number;
  build: number;
  /** Stage identifier (or display name). */
  stage: string;
  state?: RecordState;
  /** A result alone also completes the stage. */
  result?: TaskResult;
  /** Grants the approval a retried stage waits for (behaviour.stageRetryApproval); the stage then runs. */
  approve?: boolean;
  /** Rejects that approval: the stage fails, later pending stages are skipped, the build fails. */
  reject?: boolean;
  /**
   * A person starts this manual stage, which has not run (the web UI's "Run stage"; REST `{state: 2}`): the build goes
   * back in progress, the stage runs behaviour.manualStageMs and ends with behaviour.manualStageResult, the stages that
   * depend on it run after it, and the build completes again with a new finish time.
   */
  run?: boolean;
}

export interface BuildEvent {
  at: number;
  build: number;
  status?: BuildStatus;
  result?: BuildResult;
  addTags?: string[];
  properties?: Record<string, unknown>;
}

export interface QueueBuildEvent {
  at: number;
  /** A build without status runs its definition's stages like a build queued through the API. */
  queueBuild: BuildInput;
}

export interface ReleaseEnvironmentEvent {
  at: number;
  release: number;
  /** Environment name (or id). */
  environment: string | number;
  status: EnvironmentStatus;
}

export interface CreateReleaseEvent {
  at: number;
  createRelease: ReleaseInput;
}

export interface DeleteBuildEvent {
  at: number;
  /** The build retention deleted: from then on every route answers 404 for it and lists leave it out. */
  deleteBuild: number;
}

export interface RetentionEvent {
  at: number;
  /**
   * The retention job runs: every completed run without a valid lease that is not among the
   * behaviour.retentionKeepNewest newest completed runs of its pipeline is deleted (as deleteBuild).
   */
  retention: true;
}

export const DEFAULT_TOKEN = 'lockstepemulatorpatq7x2m4k6n3v5b7c2z4x6w3e5r7t2y4u6a';

export const DEFAULT_BEHAVIOUR: Behaviour = {
  stageRetryMs: 2000,
  stageRetryResult: 'succeeded',
  retryDependenciesIgnored: false,
  manualStageMs: 2000,
  manualStageResult: 'succeeded',
  queuedRunMs: 3000,
  queuedRunResult: 'succeeded',
  cancelMs: 1000,
  redeployMs: 3000,
  redeployResult: 'succeeded',
  listProperties: 'filled',
  stageRetryApproval: false,
  retentionKeepNewest: 3,
  pathRule: true,
  corsRefused: false,
};
