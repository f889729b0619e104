import { AzureDevOps } from '../client/azure-devops';
import { InputError } from '../errors';
import { Log } from '../ports';
import { Localize } from '../messages';
import { allButPullRequests } from '../runs/match-mode';
import { didYouMean } from './closest-names';
import { PipelineRef } from './pipeline-ref';
import { ResolvedRef } from './resolved-ref';

export interface Definition {
  id: number;
  name: string;
  path: string;
  /** The project's id, when the definitions list carries it (the security tokens name projects by id). */
  projectId?: string;
  environments?: Array<{ id: number; name: string; executionPolicy?: { concurrencyCount?: number; queueDepthCount?: number } }>;
}

/** The definitions of each project and kind, each list read once however many references or lookups need it. */
export class DefinitionCatalog {
  private readonly lists = new Map<string, Promise<Definition[]>>();

  constructor(private readonly api: AzureDevOps) {}

  list(kind: 'yaml' | 'release', project: string): Promise<Definition[]> {
    const key = `${kind}\n${project.toLowerCase()}`;
    if (!this.lists.has(key)) this.lists.set(key, loadDefinitions(kind, project, this.api));
    return this.lists.get(key)!;
  }

  /** One definition by id; undefined when the project has none with that id. */
  async byId(kind: 'yaml' | 'release', project: string, id: number): Promise<Definition | undefined> {
    return (await this.list(kind, project)).find((d) => d.id === id);
  }
}

/**
 * Ties each reference to a definition: by id, by \folder\name, or by a name that must be unique in its project.
 * Checks that the stage or environment exists (a YAML stage against the newest run of `branch`, this run's branch,
 * when it has one). Every error names the value and what exists instead.
 */
export async function resolveRefs(
  refs: PipelineRef[],
  defaultProject: string,
  api: AzureDevOps,
  log: Log,
  localize: Localize,
  catalogs: DefinitionCatalog = new DefinitionCatalog(api),
  branch?: string,
): Promise<ResolvedRef[]> {
  const catalog = (kind: 'yaml' | 'release', project: string) => catalogs.list(kind, project);
  const resolved: ResolvedRef[] = [];
  for (const ref of refs) {
    const project = ref.project ?? defaultProject;
    const definition = pick(ref, project, await catalog(ref.kind, project));
    const target: ResolvedRef = {
      ref,
      label: ref.text,
      kind: ref.kind,
      project,
      definitionId: definition.id,
      definitionName: definition.name,
      path: definition.path,
      projectId: definition.projectId,
    };
    if (ref.stage !== undefined) {
      if (ref.kind === 'release') {
        const env = definition.environments?.find((e) => e.name.toLowerCase() === ref.stage!.toLowerCase());
        if (!env) {
          const names = (definition.environments ?? []).map((e) => e.name);
          throw new InputError('Error_EnvironmentNotFound', [ref.stage, definition.name, names.join(', ') || '(none)']);
        }
        target.stage = env.name;
        target.environmentId = env.id;
        target.environmentPolicy = env.executionPolicy;
      } else {
        target.stage = await checkStage(ref.stage, project, definition, api, log, localize, branch);
      }
    }
    resolved.push(target);
    log.info(localize('Info_Resolved', ref.text, describe(definition), definition.id, project));
  }
  return resolved;
}

async function loadDefinitions(kind: 'yaml' | 'release', project: string, api: AzureDevOps): Promise<Definition[]> {
  const defs =
    kind === 'yaml'
      ? (await api.listBuildDefinitions(project))?.map((d) => ({ id: d.id!, name: d.name!, path: d.path ?? '\\', projectId: d.project?.id }))
      : (await api.listReleaseDefinitions(project))?.map((d) => ({
          id: d.id!,
          name: d.name!,
          path: d.path ?? '\\',
          projectId: d.projectReference?.id,
          environments: (d.environments ?? []).map((e) => ({ id: e.id!, name: e.name!, executionPolicy: e.executionPolicy })),
        }));
  if (defs) return defs;
  const projects = await api.listProjectNames().catch(() => []);
  throw new InputError('Error_ProjectNotFound', [project, api.clients.collectionUrl, didYouMean(project, projects)]);
}

function pick(ref: PipelineRef, project: string, defs: Definition[]): Definition {
  const notFoundKey = ref.kind === 'release' ? 'Error_ReleaseDefinitionNotFound' : 'Error_PipelineNotFound';
  if (ref.id !== undefined) {
    const byId = defs.find((d) => d.id === ref.id);
    if (!byId) throw new InputError(notFoundKey, [String(ref.id), project, '']);
    return byId;
  }
  const name = ref.name!.toLowerCase();
  let matches = defs.filter((d) => d.name.toLowerCase() === name);
  if (ref.folder !== undefined) {
    const folder = normaliseFolder(ref.folder);
    matches = matches.filter((d) => normaliseFolder(d.path) === folder);
    if (matches.length === 0) {
      throw new InputError(notFoundKey, [`${ref.folder === '\\' ? '' : ref.folder}\\${ref.name}`, project, didYouMean(`${ref.folder}\\${ref.name}`, defs.map(describe))]);
    }
  }
  if (matches.length === 0) throw new InputError(notFoundKey, [ref.name, project, didYouMean(ref.name!, defs.map((d) => d.name))]);
  if (matches.length > 1) {
    const list = matches.map((d) => `${describe(d)} (id ${d.id})`).join(', ');
    throw new InputError('Error_PipelineAmbiguous', [ref.name, project, list, describe(matches[0])]);
  }
  return matches[0];
}

/** "\team\api", or "api" at the root. */
function describe(d: Definition): string {
  const folder = normaliseFolder(d.path);
  return folder === '\\' ? d.name : `${folder}\\${d.name}`;
}

function normaliseFolder(path: string): string {
  const trimmed = path.replace(/\\+$/, '');
  return (trimmed.startsWith('\\') ? trimmed : `\\${trimmed}`).toLowerCase() || '\\';
}

/**
 * A YAML pipeline's stages are only known from its runs (the REST API gives a YAML pipeline's definition without its
 * stages): check the stage against a run's timeline. The run is the newest of this run's own branch — a pull request's
 * run, or another branch's, may lack a stage its branch has (a template condition) — and a name missing there fails.
 * Without a run on this branch, the newest run that is not a pull request's is asked; a name missing there only warns,
 * since this branch may have the stage (without a branch to ask about, it fails as before). Returns the identifier as
 * the service spells it.
 */
async function checkStage(stage: string, project: string, definition: Definition, api: AzureDevOps, log: Log, localize: Localize, branch: string | undefined): Promise<string> {
  const own = branch ? await api.latestBuild(project, definition.id, { branchName: branch }) : undefined;
  const last = own ?? (await api.latestBuild(project, definition.id, { reasonFilter: allButPullRequests }));
  if (!last) {
    log.warn(localize('Warning_StageUnchecked', stage, definition.name));
    return stage;
  }
  const timeline = await api.getTimeline(project, last.id!);
  // A run still being set up has no timeline yet; only a run that lists its stages can prove the name wrong.
  if (timeline === null) {
    log.warn(localize('Warning_StageUnchecked', stage, definition.name));
    return stage;
  }
  const stages = (timeline.records ?? []).filter((r) => r.type === 'Stage');
  const wanted = stage.toLowerCase();
  const found = stages.find((r) => r.identifier?.toLowerCase() === wanted) ?? stages.find((r) => r.name?.toLowerCase() === wanted);
  if (found) return found.identifier ?? found.name ?? stage;
  const seen = stages.map((r) => (r.identifier && r.name && r.identifier !== r.name ? `${r.identifier} (${r.name})` : r.identifier ?? r.name)).join(', ') || '(none)';
  // Without a branch of its own to ask about, the last run is the best there is to know.
  if (own || !branch) throw new InputError('Error_StageNotFound', [stage, definition.name, last.buildNumber ?? last.id, seen]);
  log.warn(localize('Warning_StageNotInOtherBranch', stage, definition.name, last.buildNumber ?? last.id, last.sourceBranch ?? '?', seen, branch));
  return stage;
}
