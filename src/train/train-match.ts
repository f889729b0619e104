import { MatchSettings } from '../runs/match-mode';

/** How a member's run is recognised as part of the release train before it arrives anywhere. */
export const trainMatches = ['commit', 'runNumber', 'tag'] as const;
export type TrainMatch = (typeof trainMatches)[number];

/** A train is a commit SHA, a run number (classic: release name), or a tag the train's runs carry. */
export function trainRunMatch(train: string, how: TrainMatch): MatchSettings {
  if (how === 'commit') return { mode: 'sameCommit', commit: train };
  if (how === 'runNumber') return { mode: 'runNumber', value: train };
  return { mode: 'tag', value: train };
}
