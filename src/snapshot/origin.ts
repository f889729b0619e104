import type { Build } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { memberKey, MemberRun } from './members';
import { readRunRecords } from './run-records';
import type { SnapshotSource } from './snapshot-source';
import { ForbiddenError, NotFoundError } from './source-error';

/** The run the view was opened on. */
export interface Origin {
  kind: 'build' | 'release';
  project: string;
  id: number;
}

/**
 * Reads the origin run whole: a YAML run's build (tags), ALL its properties (whatever gates and trains it recorded)
 * and its timeline, at once; a classic release in one request (its tags carry its records). Either the run, or the
 * line that stands in for it.
 */
export async function readOrigin(source: SnapshotSource, origin: Origin): Promise<{ run: MemberRun } | { notice: string }> {
  try {
    if (origin.kind === 'release') {
      const release = await source.getRelease(origin.project, origin.id);
      const definition = release.releaseDefinition;
      return { run: { ...runOf('release', origin.project, definition?.id, definition?.name), release, runRecords: readRunRecords('release', release.tags) } };
    }
    const [build, properties, records] = await Promise.all([
      source.getBuild(origin.project, origin.id),
      source.getBuildProperties(origin.project, origin.id).catch(failedRead),
      source.getTimeline(origin.project, origin.id).catch(failedRead),
    ]);
    return { run: { ...runOf('yaml', origin.project, build.definition?.id, build.definition?.name), build: withProperties(build, properties), records: readOrFail(records), runRecords: readRunRecords('build', build.tags, readOrFail(properties)) } };
  } catch (error) {
    // 403 and 404 are answers: a line in the run's place. Anything else (401, a fault that outlasted the retries, no
    // network) may pass: the caller is told, so the view keeps refreshing with its backoff instead of settling.
    if (error instanceof ForbiddenError || error instanceof NotFoundError) return { notice: originLine(error, origin) };
    throw error;
  }
}

function runOf(kind: 'yaml' | 'release', project: string, definitionId: number | undefined, definitionName: string | undefined): Pick<MemberRun, 'ref' | 'origin'> {
  const name = definitionName ?? String(definitionId ?? '?');
  return { origin: true, ref: { key: memberKey(kind, project, definitionId ?? -1), label: name, kind, project, definitionId: definitionId ?? -1, definitionName: name } };
}

/** The build's own GET decides whether the run can be read; a properties or timeline read that failed beside it is rethrown. */
type Read<T> = T | { failed: unknown };
const failedRead = (error: unknown): { failed: unknown } => ({ failed: error });
function readOrFail<T>(read: Read<T>): T {
  if (read && typeof read === 'object' && 'failed' in read) throw read.failed;
  return read as T;
}

function withProperties(build: Build, properties: Read<Record<string, unknown>>): Build {
  return { ...build, properties: readOrFail(properties) };
}

function originLine(error: ForbiddenError | NotFoundError, origin: Origin): string {
  const what = origin.kind === 'release' ? `release #${origin.id}` : `run #${origin.id}`;
  if (error instanceof ForbiddenError) return `No permission to read ${what} in ${origin.project} (${origin.kind === 'release' ? 'View releases' : 'View builds'}) — 403`;
  return `${what.charAt(0).toUpperCase()}${what.slice(1)} in ${origin.project} no longer exists`;
}
