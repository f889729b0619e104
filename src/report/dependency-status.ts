import { ResolvedRef } from '../refs/resolved-ref';
import { Observation } from '../runs/observation';

/** What the wait knows of one reference: its last observation and when it was met. */
export interface DependencyStatus {
  ref: ResolvedRef;
  observation: Observation;
  /** ms since the wait started at which it was met; undefined while unmet. */
  metAfterMs?: number;
}

/** The resolvedRuns output: one entry per reference. */
export function resolvedRunsJson(statuses: DependencyStatus[]): string {
  return JSON.stringify(
    statuses.map((s) => ({
      reference: s.ref.label,
      kind: s.ref.kind === 'release' ? 'release' : 'build',
      project: s.ref.project,
      definitionId: s.ref.definitionId,
      runId: s.observation.run?.id ?? null,
      runName: s.observation.run?.name ?? null,
      result: s.observation.verdict === 'waiting' ? null : (s.observation.result ?? null),
      state: s.observation.state,
      webUrl: s.observation.run?.webUrl ?? null,
    })),
  );
}
