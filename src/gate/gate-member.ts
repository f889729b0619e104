import { AzureDevOps } from '../client/azure-devops';
import { InputError } from '../errors';
import { Localize } from '../messages';
import { Log } from '../ports';
import { parsePipelineRefs } from '../refs/pipeline-ref';
import { DefinitionCatalog, resolveRefs } from '../refs/resolve-refs';
import { ResolvedRef } from '../refs/resolved-ref';
import { RunContext } from '../run-context';
import type { PipelineIdentity } from '../refs/pipeline-identity';

/** One member of a release train: a pipeline whose train run must arrive at the gate. */
export interface GateMember extends PipelineIdentity {
  /** As written in participants, or this pipeline's name. */
  label: string;
  /** This run's own pipeline: it arrives by running the gate, not by being observed. */
  self: boolean;
  /** The participant reference it came from (none for this run's own pipeline when participants leave it out). */
  resolved?: ResolvedRef;
}

/**
 * This run plus every participant. A participant that names this run's own pipeline is simply this member.
 * The quorum is checked against the members' count before any waiting.
 */
export async function resolveMembers(
  participants: string,
  quorum: number,
  context: RunContext,
  defaultProject: string,
  api: AzureDevOps,
  log: Log,
  localize: Localize,
  catalog: DefinitionCatalog = new DefinitionCatalog(api),
): Promise<GateMember[]> {
  const refs = parsePipelineRefs(participants, { allowStage: false });
  const resolved = await resolveRefs(refs, defaultProject, api, log, localize, catalog);
  const selfKind = context.kind === 'release' ? 'release' : 'yaml';
  const isSelf = (kind: string, project: string, id: number) =>
    kind === selfKind && id === context.definitionId && project.toLowerCase() === context.project.toLowerCase();
  const members: GateMember[] = [
    {
      label: context.definitionName ?? 'this pipeline',
      kind: selfKind,
      project: context.project,
      definitionId: context.definitionId ?? -1,
      definitionName: context.definitionName ?? 'this pipeline',
      self: true,
    },
  ];
  for (const r of resolved) {
    if (isSelf(r.kind, r.project, r.definitionId)) continue;
    members.push({ label: r.label, kind: r.kind, project: r.project, definitionId: r.definitionId, definitionName: r.definitionName, self: false, resolved: r });
  }
  if (quorum > members.length) throw new InputError('Error_QuorumTooLarge', [quorum, members.length, members.map((m) => m.label).join(', ')]);
  return members;
}
