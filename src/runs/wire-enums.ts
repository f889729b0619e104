/**
 * The service's enum values Lockstep compares, in one place. On the wire (REST 7.1 JSON, what the train view reads
 * with fetch) they are camelCase words; azure-devops-node-api turns them into numbers (what the tasks read). Each
 * table maps the number to its name, so `enumName(table, value)` (build-state.ts) reads either form as the same
 * word. Kept here rather than imported from azure-devops-node-api/interfaces, whose modules pull in the whole
 * generated type registry (Test interfaces and all) at run time — too much for the browser bundle of the view. The
 * numbers are node-api 17's (test/core/wire-enums.test.ts checks them against it).
 */
export const BuildStatus = { 0: 'None', 1: 'InProgress', 2: 'Completed', 4: 'Cancelling', 8: 'Postponed', 32: 'NotStarted', 47: 'All' } as const;

export const BuildResult = { 0: 'None', 2: 'Succeeded', 4: 'PartiallySucceeded', 8: 'Failed', 32: 'Canceled' } as const;

/** A stage's, job's or task's result in a timeline. */
export const TaskResult = { 0: 'Succeeded', 1: 'SucceededWithIssues', 2: 'Failed', 3: 'Canceled', 4: 'Skipped', 5: 'Abandoned', 6: 'ManuallyQueued', 7: 'DependentOnManualQueue' } as const;

export const TimelineRecordState = { 0: 'Pending', 1: 'InProgress', 2: 'Completed' } as const;

/** A classic release environment's status. */
export const EnvironmentStatus = { 0: 'Undefined', 1: 'NotStarted', 2: 'InProgress', 4: 'Succeeded', 8: 'Canceled', 16: 'Rejected', 32: 'Queued', 64: 'Scheduled', 128: 'PartiallySucceeded' } as const;

export const ReleaseStatus = { 0: 'Undefined', 1: 'Draft', 2: 'Active', 4: 'Abandoned' } as const;

/** BuildReason is a flags enum: the builds list's reasonFilter takes a union of these. */
export const BuildReasonFlags = {
  manual: 1,
  individualCI: 2,
  batchedCI: 4,
  schedule: 8,
  scheduleForced: 16,
  userCreated: 32,
  validateShelveset: 64,
  checkInShelveset: 128,
  pullRequest: 256,
  buildCompletion: 512,
  resourceTrigger: 1024,
  /** The union of the reasons (the service's All). */
  all: 2031,
} as const;

/** The releases list's statusFilter for active releases (drafts and abandoned releases left out). */
export const activeReleaseStatus = 2;
