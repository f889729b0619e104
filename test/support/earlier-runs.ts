import type { BuildInput } from '../../emulator/scenario';

/**
 * A finished run of another commit, long before the scenario starts: its Build stage took a minute, then its Prod
 * stage `prodMs`. What ETA-aware polling reads to learn how long Prod usually takes.
 */
export function earlierRun(id: number, definition: string, prodMs: number, options: { result?: 'succeeded' | 'failed'; startMs?: number } = {}): BuildInput {
  const result = options.result ?? 'succeeded';
  const start = options.startMs ?? -24 * 3_600_000 + id * 600_000;
  return {
    id,
    definition,
    buildNumber: `2.2.${id}`,
    sourceVersion: `${id}`.padStart(40, 'e'),
    status: 'completed',
    result,
    queueTime: start,
    startTime: start,
    finishTime: start + 60_000 + prodMs,
    stages: [
      { identifier: 'Build', result: 'succeeded', startTime: start, finishTime: start + 60_000 },
      { identifier: 'Prod', result, startTime: start + 60_000, finishTime: start + 60_000 + prodMs },
    ],
  };
}
