/**
 * EmulatorState: the emulated organization. Routes and tests read and change it here. Every public
 * read first applies the scheduled changes that are due, so a test can poll it like a client would.
 */
import type { ScenarioClock } from '../clock';
import type {
  Behaviour, BuildInput, PermissionDenial, PermissionEvaluationMode, ReleaseInput, ScenarioEvent,
} from '../scenario';
import { EventQueue, type Change } from './event-queue';
import type {
  BuildDefinitionState, BuildState, EnvironmentState, LeaseState, ProjectState, ReleaseDefinitionState, ReleaseState, StageState,
} from './model';
import { applyRetention } from './leases';
import { createBuild } from './create-build';
import { createRelease } from './create-release';
import { applyScenarioEvent, type EventChange } from './scenario-events';

export class EmulatorState {
  readonly projectsById = new Map<string, ProjectState>();
  readonly buildDefinitionList: BuildDefinitionState[] = [];
  readonly buildsById = new Map<number, BuildState>();
  readonly releaseDefinitionList: ReleaseDefinitionState[] = [];
  readonly releasesById = new Map<number, ReleaseState>();
  /** Permission denials in force; push or splice to change them during a test. */
  readonly denials: PermissionDenial[] = [];
  /** How the permission-evaluation routes answer (scenario permissions.evaluation); change it during a test. */
  permissionEvaluation: PermissionEvaluationMode = 'answer';
  /** Ids of builds retention deleted: never reused for new builds. */
  readonly deletedBuildIds = new Set<number>();
  /** Retention leases by id. */
  readonly leasesById = new Map<number, LeaseState>();
  private readonly queue = new EventQueue();
  private catchingUp = false;
  /** Scheduled changes that failed (e.g. an event naming a build that does not exist), oldest first. */
  readonly eventErrors: Array<{ at: number; message: string }> = [];
  private counters = { environment: 1, definitionEnvironment: 1, deployment: 1, lease: 1 };

  constructor(
    readonly clock: ScenarioClock,
    readonly organization: string,
    /** Display name of the caller. */
    public identity: string,
    /** Reactions to writes; change fields during a test as needed. */
    public behaviour: Behaviour,
  ) {}

  /** Scenario time now. */
  now(): number {
    return this.clock.elapsedMs();
  }

  /** Applies every scheduled change that is due. */
  catchUp(): void {
    // A change may read the world; do not re-enter the queue from inside it.
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      this.queue.runDue(this.now(), (error, at) => {
        const message = error instanceof Error ? error.message : String(error);
        this.eventErrors.push({ at, message });
        process.stderr.write(`emulator: ${message}\n`);
      });
    } finally {
      this.catchingUp = false;
    }
  }

  // ---- reads ----------------------------------------------------------------------------------

  projects(): ProjectState[] {
    this.catchUp();
    return [...this.projectsById.values()];
  }

  /** By id or name (names compare without regard to case). */
  project(idOrName: string): ProjectState | undefined {
    this.catchUp();
    return this.findProject(idOrName);
  }

  build(id: number): BuildState | undefined {
    this.catchUp();
    return this.buildsById.get(id);
  }

  builds(): BuildState[] {
    this.catchUp();
    return [...this.buildsById.values()];
  }

  /** A build's stage by identifier (or display name). */
  stage(buildId: number, identifierOrName: string): StageState | undefined {
    const build = this.build(buildId);
    return build ? findStage(build, identifierOrName) : undefined;
  }

  buildDefinition(projectIdOrName: string, idOrName: number | string): BuildDefinitionState | undefined {
    const project = this.project(projectIdOrName);
    return project && this.findBuildDefinition(project.id, idOrName);
  }

  buildDefinitions(projectId?: string): BuildDefinitionState[] {
    this.catchUp();
    return this.buildDefinitionList.filter((d) => !projectId || d.projectId === projectId);
  }

  release(id: number): ReleaseState | undefined {
    this.catchUp();
    return this.releasesById.get(id);
  }

  releases(): ReleaseState[] {
    this.catchUp();
    return [...this.releasesById.values()];
  }

  /** A release's environment by name (without regard to case) or id. */
  environment(releaseId: number, nameOrId: string | number): EnvironmentState | undefined {
    const release = this.release(releaseId);
    return release ? findEnvironment(release, nameOrId) : undefined;
  }

  releaseDefinition(projectIdOrName: string, idOrName: number | string): ReleaseDefinitionState | undefined {
    const project = this.project(projectIdOrName);
    return project && this.findReleaseDefinition(project.id, idOrName);
  }

  releaseDefinitions(projectId?: string): ReleaseDefinitionState[] {
    this.catchUp();
    return this.releaseDefinitionList.filter((d) => !projectId || d.projectId === projectId);
  }

  /** Retention leases, of one project or all. */
  leases(projectId?: string): LeaseState[] {
    this.catchUp();
    return [...this.leasesById.values()].filter((l) => !projectId || l.projectId === projectId);
  }

  /** Scheduled changes not yet applied (scenario events and reactions). */
  pendingChanges(): number {
    this.catchUp();
    return this.queue.size;
  }

  // ---- changes --------------------------------------------------------------------------------

  /** Schedules a scenario event at its `at` time. */
  schedule(event: ScenarioEvent): void {
    this.queue.push(event.at, (at) => applyScenarioEvent(this, event, at));
  }

  /** Applies a scenario event now, whatever its `at`. */
  apply(event: EventChange): void {
    this.catchUp();
    applyScenarioEvent(this, event, this.now());
  }

  /** Adds a build now; without a status it runs its definition's stages like a queued build. */
  addBuild(input: BuildInput): BuildState {
    this.catchUp();
    return createBuild(this, input, this.now(), true);
  }

  /** Deletes a build now, as retention does: every route answers 404 for it from then on. */
  deleteBuild(id: number): void {
    this.catchUp();
    applyScenarioEvent(this, { deleteBuild: id }, this.now());
  }

  /**
   * Runs the retention job now: deletes every completed run that no valid lease holds and that is not
   * among the behaviour.retentionKeepNewest newest of its pipeline. Returns the deleted run ids.
   */
  applyRetention(): number[] {
    this.catchUp();
    return applyRetention(this, this.now());
  }

  /** Adds a release now. */
  addRelease(input: ReleaseInput): ReleaseState {
    this.catchUp();
    return createRelease(this, input, this.now());
  }

  // ---- for the emulator's own code (no catch-up) ------------------------------------------------

  /** Schedules an internal change at a scenario time. */
  at(time: number, change: Change): void {
    this.queue.push(time, change);
  }

  findProject(idOrName: string): ProjectState | undefined {
    const key = idOrName.toLowerCase();
    for (const p of this.projectsById.values()) {
      if (p.id.toLowerCase() === key || p.name.toLowerCase() === key) return p;
    }
    return undefined;
  }

  findBuildDefinition(projectId: string | undefined, idOrName: number | string): BuildDefinitionState | undefined {
    return this.buildDefinitionList.find((d) => (!projectId || d.projectId === projectId) && matchesIdOrName(d, idOrName));
  }

  findReleaseDefinition(projectId: string | undefined, idOrName: number | string): ReleaseDefinitionState | undefined {
    return this.releaseDefinitionList.find((d) => (!projectId || d.projectId === projectId) && matchesIdOrName(d, idOrName));
  }

  nextBuildId(): number {
    return Math.max(0, ...this.buildsById.keys(), ...this.deletedBuildIds) + 1;
  }

  nextReleaseId(): number {
    return Math.max(0, ...this.releasesById.keys()) + 1;
  }

  nextId(kind: keyof EmulatorState['counters']): number {
    return this.counters[kind]++;
  }
}

export function findStage(build: BuildState, identifierOrName: string): StageState | undefined {
  const key = identifierOrName.toLowerCase();
  return build.stages.find((s) => s.identifier.toLowerCase() === key)
    ?? build.stages.find((s) => s.name.toLowerCase() === key);
}

export function findEnvironment(release: ReleaseState, nameOrId: string | number): EnvironmentState | undefined {
  return release.environments.find((e) => matchesIdOrName(e, nameOrId));
}

function matchesIdOrName(item: { id: number; name: string }, idOrName: number | string): boolean {
  if (typeof idOrName === 'number') return item.id === idOrName;
  return item.name.toLowerCase() === idOrName.toLowerCase() || String(item.id) === idOrName;
}
