import { ForbiddenError, NotFoundError } from './source-error';

/** What a line in a member's place says when its runs could not be read. */
export function unreadableLine(error: unknown, member: { kind: 'yaml' | 'release'; project: string; definitionName: string }, runId?: number): string {
  const pipeline = member.kind === 'release' ? `classic release pipeline ${member.definitionName}` : `pipeline ${member.definitionName}`;
  const permission = member.kind === 'release' ? 'View releases' : 'View builds';
  if (error instanceof ForbiddenError) return `No permission to read ${pipeline} in ${member.project} (${permission}) — 403`;
  if (error instanceof NotFoundError) {
    if (runId !== undefined) return `${member.kind === 'release' ? 'Release' : 'Run'} #${runId} of ${member.definitionName} no longer exists`;
    return `${pipeline.charAt(0).toUpperCase()}${pipeline.slice(1)} or project ${member.project} no longer exists — 404`;
  }
  return `Could not read ${pipeline} in ${member.project}: ${error instanceof Error ? error.message : String(error)}`;
}
