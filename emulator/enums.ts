/**
 * Enum values as they travel: the client sends numbers (request bodies and query flags), the service
 * answers camelCase strings. The service also accepts names, so both are read here.
 */
export type EnumTable = Record<string, number>;

export const BuildStatusEnum: EnumTable = {
  none: 0, inProgress: 1, completed: 2, cancelling: 4, postponed: 8, notStarted: 32, all: 47,
};
export const BuildResultEnum: EnumTable = { none: 0, succeeded: 2, partiallySucceeded: 4, failed: 8, canceled: 32 };
export const BuildReasonEnum: EnumTable = {
  none: 0, manual: 1, individualCI: 2, batchedCI: 4, schedule: 8, scheduleForced: 16, userCreated: 32,
  validateShelveset: 64, checkInShelveset: 128, pullRequest: 256, buildCompletion: 512, resourceTrigger: 1024,
  triggered: 1967, all: 2031,
};
export const BuildQueryOrderEnum: EnumTable = {
  finishTimeAscending: 2, finishTimeDescending: 3, queueTimeDescending: 4, queueTimeAscending: 5,
  startTimeDescending: 6, startTimeAscending: 7,
};
export const DefinitionQueryOrderEnum: EnumTable = {
  none: 0, lastModifiedAscending: 1, lastModifiedDescending: 2, definitionNameAscending: 3, definitionNameDescending: 4,
};
export const StageUpdateTypeEnum: EnumTable = { cancel: 0, retry: 1, run: 2 };
export const EnvironmentStatusEnum: EnumTable = {
  undefined: 0, notStarted: 1, inProgress: 2, succeeded: 4, canceled: 8, rejected: 16, queued: 32, scheduled: 64,
  partiallySucceeded: 128,
};
export const ReleaseStatusEnum: EnumTable = { undefined: 0, draft: 1, active: 2, abandoned: 4 };
export const ReleaseQueryOrderEnum: EnumTable = { descending: 0, ascending: 1 };
export const ReleaseExpandsEnum: EnumTable = {
  none: 0, environments: 2, artifacts: 4, approvals: 8, manualInterventions: 16, variables: 32, tags: 64,
};
export const ReleaseDefinitionExpandsEnum: EnumTable = {
  none: 0, environments: 2, artifacts: 4, triggers: 8, variables: 16, tags: 32, lastRelease: 64,
};
export const ReleaseDefinitionQueryOrderEnum: EnumTable = { idAscending: 0, idDescending: 1, nameAscending: 2, nameDescending: 3 };

/** The name for a number or name (any case); undefined when it is neither. */
export function enumName(table: EnumTable, value: unknown): string | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) {
    const n = Number(value);
    return Object.keys(table).find((k) => table[k] === n);
  }
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    return Object.keys(table).find((k) => k.toLowerCase() === lower);
  }
  return undefined;
}

/** A flags value: a number, or names joined by commas; undefined when a part is unknown. */
export function flagsValue(table: EnumTable, value: string): number | undefined {
  let flags = 0;
  for (const part of value.split(',')) {
    const trimmed = part.trim();
    if (/^\d+$/.test(trimmed)) {
      flags |= Number(trimmed);
      continue;
    }
    const name = enumName(table, trimmed);
    if (name === undefined) return undefined;
    flags |= table[name];
  }
  return flags;
}
