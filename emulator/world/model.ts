/**
 * The emulated organization's state. Objects are live: a test may read and change them through
 * `emulator.state`. Times are scenario milliseconds (see ScenarioClock); enums are the service's
 * camelCase strings.
 */
import type {
  BuildResult, BuildStatus, EnvironmentStatus, RecordState, ReleaseStatus, TaskResult,
} from '../scenario';

export interface ProjectState {
  id: string;
  name: string;
  description?: string;
}

export interface RepositoryState {
  id: string;
  name: string;
  type: string;
  defaultBranch: string;
}

export interface BuildDefinitionState {
  id: number;
  projectId: string;
  name: string;
  path: string;
  stages: StageDefinitionState[];
  yamlFilename: string;
  repository: RepositoryState;
  revision: number;
  createdDate: number;
}

export interface StageDefinitionState {
  identifier: string;
  name: string;
  /** Identifiers of the stages it waits for (YAML dependsOn, the default filled in). */
  dependsOn: string[];
  /** trigger: manual — never starts by itself. */
  manual: boolean;
}

export interface AttemptRef {
  attempt: number;
  timelineId: string;
  recordId: string;
}

export interface StageState {
  identifier: string;
  name: string;
  /** 1-based position in the pipeline. */
  order: number;
  /** Identifiers of the stages it waits for: it starts once they have succeeded (or were skipped on purpose). */
  dependsOn: string[];
  /** A trigger: manual stage: it never starts by itself; pending in a finished run, a person can still start it. */
  manual: boolean;
  state: RecordState;
  result?: TaskResult;
  attempt: number;
  /** The Stage record's id; a retry gives the stage a new one. */
  recordId: string;
  previousAttempts: AttemptRef[];
  startTime?: number;
  finishTime?: number;
  /** The timeline change that last touched this stage. */
  changeId: number;
  /** The approval the stage's checkpoint waits for (a retry with behaviour.stageRetryApproval). */
  approval?: ApprovalState;
}

export interface ApprovalState {
  /** The Checkpoint.Approval record's id (the service uses the approval's id). */
  id: string;
  state: 'inProgress' | 'completed';
  result?: 'succeeded' | 'failed' | 'canceled';
  startTime: number;
  finishTime?: number;
  /** What the retry waiting for it was asked (retryDependencies), so it can go on when approved. */
  retryDependencies: boolean;
}

/** A stored property value in the service's typed form. */
export interface PropertyValue {
  $type: string;
  $value: unknown;
}

export interface BuildState {
  id: number;
  projectId: string;
  definitionId: number;
  buildNumber: string;
  sourceBranch: string;
  sourceVersion: string;
  tags: string[];
  properties: Record<string, PropertyValue>;
  status: BuildStatus;
  result?: BuildResult;
  queueTime: number;
  startTime?: number;
  finishTime?: number;
  reason: string;
  requestedFor: string;
  requestedBy: string;
  parameters?: string;
  templateParameters: Record<string, string>;
  triggerInfo: Record<string, string>;
  stages: StageState[];
  timelineId: string;
  planId: string;
  /** Timeline change counter. */
  changeId: number;
  lastChangedDate: number;
  /** Stage records of earlier attempts, by the timeline id their `previousAttempts` entry names. */
  attemptTimelines: Record<string, StageState>;
}

/** A retention lease (Build › Leases). Times are scenario ms. */
export interface LeaseState {
  leaseId: number;
  projectId: string;
  ownerId: string;
  runId: number;
  definitionId: number;
  createdOn: number;
  validUntil: number;
  protectPipeline: boolean;
}

export interface ReleaseDefinitionState {
  id: number;
  projectId: string;
  name: string;
  path: string;
  environments: Array<{
    id: number;
    name: string;
    rank: number;
    /** The queuing policy: parallel deployments (0 = unlimited) and queue depth (1 = latest only). */
    executionPolicy: { concurrencyCount: number; queueDepthCount: number };
  }>;
  revision: number;
  createdOn: number;
}

export interface ArtifactState {
  alias: string;
  /** Build: a run's artifact; Git (Azure Repos) and GitHub: a repository at a commit (sourceVersion). */
  type: 'Build' | 'Git' | 'GitHub';
  /** The repository of a Git or GitHub artifact. */
  repository?: string;
  isPrimary: boolean;
  buildId?: number;
  buildNumber?: string;
  sourceVersion?: string;
  branch?: string;
  definitionId?: number;
  definitionName?: string;
  projectId: string;
}

export type DeploymentStatus = 'notDeployed' | 'inProgress' | 'succeeded' | 'partiallySucceeded' | 'failed';

export interface DeployStepState {
  id: number;
  deploymentId: number;
  attempt: number;
  reason: 'manual' | 'automated' | 'redeployTrigger';
  status: DeploymentStatus;
  operationStatus: string;
  queuedOn: number;
  lastModifiedOn: number;
  requestedFor: string;
  /** The comment the deployment was asked with (the service keeps it with the deployment). */
  comment?: string;
}

export interface EnvironmentLogEntry {
  at: number;
  status: EnvironmentStatus;
  comment?: string;
}

export interface EnvironmentState {
  id: number;
  definitionEnvironmentId: number;
  name: string;
  rank: number;
  status: EnvironmentStatus;
  createdOn: number;
  modifiedOn: number;
  deploySteps: DeployStepState[];
  /** Every status change with the comment that caused it, oldest first. */
  log: EnvironmentLogEntry[];
}

export interface ReleaseState {
  id: number;
  projectId: string;
  definitionId: number;
  name: string;
  status: ReleaseStatus;
  description: string;
  reason: string;
  createdBy: string;
  createdOn: number;
  modifiedOn: number;
  artifacts: ArtifactState[];
  tags: string[];
  environments: EnvironmentState[];
}
