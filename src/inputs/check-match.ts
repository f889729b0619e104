import semver from 'semver';
import { InputError } from '../errors';
import { MatchMode, MatchSettings } from '../runs/match-mode';

const valueHelp: Partial<Record<MatchMode, string>> = {
  runNumber: 'the run number or release name to match',
  tag: 'the tag the run must carry',
  versionRange: 'a semver range such as ^2.3.0',
  runId: 'the run id',
};

/** Checks a match mode and its value before any request; returns the settings with the value trimmed. */
export function checkMatch(match: MatchSettings, contextNames: { commit: string; branch: string }): MatchSettings {
  const value = match.value?.trim() || undefined;
  if (valueHelp[match.mode] && !value) throw new InputError('Error_MatchValueRequired', [match.mode, valueHelp[match.mode]]);
  if (match.mode === 'versionRange' && semver.validRange(value!) === null) throw new InputError('Error_InvalidVersionRange', [value]);
  if (match.mode === 'runId' && !value!.split(',').every((v) => /^\s*\d+\s*$/.test(v) && Number(v) > 0)) throw new InputError('Error_InvalidRunId', [value]);
  if (match.mode === 'sameCommit' && !match.commit) throw new InputError('Error_NoSourceVersion', [contextNames.commit]);
  if (match.mode === 'sameBranch' && !match.branch) throw new InputError('Error_NoSourceBranch', [contextNames.branch]);
  return { ...match, value };
}
