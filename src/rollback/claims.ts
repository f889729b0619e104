import { BuildStatus } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus, Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { ResolvedRef } from '../refs/resolved-ref';
import { RunContext } from '../run-context';
import { enumName } from '../runs/build-state';
import { buildMatches, MatchSettings, releaseMatches } from '../runs/match-mode';
import { RollbackMarks, rollbackMarks } from './ledger-marks';

/** A run that asked to roll the train back. */
export interface Claimant {
  kind: 'build' | 'release';
  project: string;
  runId: number;
  /** Its pipeline's name, for messages. */
  pipeline: string;
  /** Still asking: claim tag present and the run still in progress. */
  live: boolean;
  /** It took the lead (the lead tag). */
  lead: boolean;
}

/**
 * Claims and the leader, for exactly-once rollback without an atomic lock in the REST API:
 * every invoking run tags itself as a claimant, waits a settle period so that simultaneous claims see each other,
 * then all of them pick the same leader — a live claimant that already leads, else the lowest run id. The leader
 * tags itself as such before it acts, so a claimant arriving later defers to it.
 */
export class RollbackClaims {
  /** The marks on YAML runs, on classic releases (spelled for their URL path), and on this run. */
  private readonly buildMarks: RollbackMarks;
  private readonly releaseMarks: RollbackMarks;
  private readonly marks: RollbackMarks;

  constructor(
    private readonly api: AzureDevOps,
    private readonly context: RunContext,
    train: string,
    private readonly members: ResolvedRef[],
    private readonly match: MatchSettings,
    private readonly runsPerDefinition: number,
  ) {
    this.buildMarks = rollbackMarks(train);
    this.releaseMarks = rollbackMarks(train, 'release');
    this.marks = context.kind === 'release' ? this.releaseMarks : this.buildMarks;
  }

  claim(): Promise<void> {
    return this.tag([this.marks.claim], []);
  }

  lead(): Promise<void> {
    return this.tag([this.marks.lead], []);
  }

  /** Done (or canceled): this run no longer asks; a leader keeps its lead mark as a record of who did it. */
  async leave(api: AzureDevOps = this.api, stillLeading = false): Promise<void> {
    await this.tag([], stillLeading ? [this.marks.claim] : [this.marks.claim, this.marks.lead], api);
  }

  /** Every claimant among the train's runs of the members, and this run. */
  async read(): Promise<Claimant[]> {
    const claimants = new Map<string, Claimant>();
    const add = (c: Claimant) => claimants.set(`${c.kind}/${c.project.toLowerCase()}/${c.runId}`, c);
    const yamlByProject = new Map<string, ResolvedRef[]>();
    for (const m of this.members.filter((m) => m.kind === 'yaml')) yamlByProject.set(m.project.toLowerCase(), [...(yamlByProject.get(m.project.toLowerCase()) ?? []), m]);
    await Promise.all([
      ...[...yamlByProject.values()].map(async (group) => {
        const builds = await this.api.listBuilds(group[0].project, { definitionIds: [...new Set(group.map((m) => m.definitionId))], maxPerDefinition: this.runsPerDefinition });
        for (const b of builds.filter((b) => buildMatches(this.match, b))) {
          const tags = b.tags ?? [];
          if (!hasTag(tags, this.buildMarks.claim) && !hasTag(tags, this.buildMarks.lead)) continue;
          add({ kind: 'build', project: group[0].project, runId: b.id!, pipeline: b.definition?.name ?? String(b.definition?.id), live: hasTag(tags, this.buildMarks.claim) && b.status !== BuildStatus.Completed, lead: hasTag(tags, this.buildMarks.lead) });
        }
      }),
      ...this.members
        .filter((m) => m.kind === 'release')
        .map(async (m) => {
          const releases = await this.api.listReleases(m.project, m.definitionId, this.runsPerDefinition);
          for (const r of releases.filter((r) => releaseMatches(this.match, r))) {
            const c = releaseClaimant(r, m.project, this.releaseMarks);
            if (c) add(c);
          }
        }),
    ]);
    if (this.context.runId) {
      const own = await this.ownClaimant();
      if (own) add(own);
    }
    return [...claimants.values()];
  }

  /** Who performs the rollback: a live leader if there is one, else the live claimant with the lowest run id. */
  static elect(claimants: Claimant[]): Claimant | undefined {
    const live = claimants.filter((c) => c.live);
    return live.find((c) => c.lead) ?? [...live].sort((a, b) => (a.kind === b.kind ? a.runId - b.runId : a.kind === 'build' ? -1 : 1))[0];
  }

  isSelf(c: Claimant): boolean {
    return c.kind === this.context.kind && c.runId === this.context.runId && c.project.toLowerCase() === this.context.project.toLowerCase();
  }

  private async ownClaimant(): Promise<Claimant | undefined> {
    const { project, runId } = this.context;
    if (this.context.kind === 'release') {
      const release = await this.api.getRelease(project, runId!);
      return release ? releaseClaimant(release, project, this.releaseMarks) : undefined;
    }
    const build = await this.api.getBuild(project, runId!);
    const tags = build?.tags ?? [];
    if (!build || (!hasTag(tags, this.buildMarks.claim) && !hasTag(tags, this.buildMarks.lead))) return undefined;
    return { kind: 'build', project, runId: runId!, pipeline: this.context.definitionName ?? build.definition?.name ?? '', live: hasTag(tags, this.buildMarks.claim), lead: hasTag(tags, this.buildMarks.lead) };
  }

  private async tag(add: string[], remove: string[], api: AzureDevOps = this.api): Promise<void> {
    const { project, runId } = this.context;
    if (!runId) return;
    if (this.context.kind === 'release') {
      if (add.length) await api.addReleaseTags(project, runId, add);
      // A release's tag goes only by its URL path: the release spelling of the marks is safe there.
      for (const t of remove) await api.deleteReleaseTag(project, runId, t);
      return;
    }
    await api.updateBuildTags(project, runId, add, remove);
  }
}

function releaseClaimant(r: Release, project: string, marks: RollbackMarks): Claimant | undefined {
  const tags = r.tags ?? [];
  if (!hasTag(tags, marks.claim) && !hasTag(tags, marks.lead)) return undefined;
  const active = (r.environments ?? []).some((e) => ['inProgress', 'queued'].includes(enumName(EnvironmentStatus, e.status)));
  return { kind: 'release', project, runId: r.id!, pipeline: r.releaseDefinition?.name ?? '', live: hasTag(tags, marks.claim) && active, lead: hasTag(tags, marks.lead) };
}

/** The service keeps tags without regard to case. */
function hasTag(tags: string[], mark: string): boolean {
  return tags.some((t) => t.toLowerCase() === mark.toLowerCase());
}
