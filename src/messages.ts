import { format } from 'node:util';

/**
 * Every sentence the core says to a person, keyed the way task.json `messages` are.
 * The tasks render them through tl.loc (so they can be translated); other hosts use the English below.
 * A test checks that each task.json carries these keys with this exact text.
 */
export const messages = {
  Error_InputRequired: "Input '%s' is required.",
  Error_InputNotNumber: "Input '%s' must be a whole number, got '%s'.",
  Error_InputOutOfRange: "Input '%s' must be %s, got %s.",
  Error_InputNotOneOf: "Input '%s' must be one of %s, got '%s'.",
  Error_MatchValueRequired: "match '%s' needs a matchValue (%s).",
  Error_InvalidVersionRange: "matchValue '%s' is not a valid semver range (for example ^2.3.0 or >=1.4 <2).",
  Error_InvalidRunId: "matchValue '%s' is not a run id (a positive whole number).",
  Error_RefEmpty: 'No pipeline references given: write one per line, for example api@Prod.',
  Error_RefInvalid: "Line %d, '%s': %s. Expected [release:][<project>/]<name | \\folder\\name | id>[@<stage or environment>].",
  Error_RefDuplicate: "Line %d, '%s' names the same pipeline and stage as line %d.",
  Error_RefStageNotAllowed: "Line %d, '%s': a stage or environment is not allowed here.",
  Error_ProjectNotFound: "Project '%s' not found in %s.%s",
  Error_PipelineNotFound: "Pipeline '%s' not found in project '%s'.%s",
  Error_ReleaseDefinitionNotFound: "Classic release pipeline '%s' not found in project '%s'.%s",
  Error_PipelineAmbiguous: "Pipeline name '%s' is ambiguous in project '%s': %s. Write the folder path (for example %s) or the id.",
  Error_StageNotFound: "Stage '%s' not found in pipeline '%s'. Stages in its last run (#%s): %s.",
  Error_EnvironmentNotFound: "Environment '%s' not found in classic release pipeline '%s'. Its environments: %s.",
  Error_PermissionDenied: "%s was denied %s %s (HTTP %d): it needs the '%s' permission on project '%s'. Grant it in %s.",
  Error_Unauthorized: 'The token was rejected by %s (HTTP 401) on %s %s. Check that the job may use its OAuth token (or that the service connection\'s token is valid and not expired).',
  Error_Api: 'Azure DevOps answered HTTP %d to %s %s: %s',
  Error_Network: 'Could not reach Azure DevOps (%s %s) after %d attempts: %s',
  Error_NoCollectionUrl: 'No organization URL: System.TeamFoundationCollectionUri is not set and the connection has no URL.',
  Error_NoToken: "No token: allow scripts to access the OAuth token, or set the 'connection' input to an Azure DevOps service connection.",
  Error_NoSourceVersion: "match 'sameCommit' needs this run's commit, but %s is not set. Use another match mode.",
  Error_NoSourceBranch: "match 'sameBranch' needs this run's branch, but %s is not set. Use another match mode.",
  Error_DependencyFailed: '%s: run %s %s (%s). %s',
  Error_Timeout: 'Timed out after %s waiting for %d of %d dependencies: %s',
  Error_Canceled: 'Canceled while waiting for %s.',
  Error_TrainUnexpanded: "train is '%s': that variable is not set in this run. Give the train id every member shares.",
  Error_QuorumTooLarge: 'quorum %d is larger than the train: %d members (%s, this run included).',
  Error_NoRunIdentity: "SyncGate needs this run's id and pipeline (%s); they are not set.",
  Error_MemberFailed: "%s: its train run %s ended %s before arriving at gate '%s' (%s).",
  Error_MemberLeft: "%s left gate '%s' and its train run %s has ended. It said: %s",
  Error_GateTimeout: "Gate '%s' of train '%s' did not open after %s: %d of %d needed have arrived. Missing: %s",
  Error_GateCanceled: "Canceled while waiting at gate '%s' of train '%s'; arrival withdrawn. Missing: %s",
  Error_Deadlock: 'Deadlock: %s. These waits can never end; change the order of the stages or the gates.',
  Error_RollbackStageRequired: "Line %d, '%s': name the stage or environment that deploys this member (for example api@Prod).",
  Error_RollbackCanceled: "Canceled during the rollback of train '%s'. Rolled back: %s. Not rolled back: %s.",
  Error_RollbackTimeout: "The rollback of train '%s' did not finish within %s.",
  Error_TemplateParametersInvalid: 'templateParameters must be a JSON object of names to values, for example {"rollback": true}: %s',
  Info_Resolved: '%s -> %s (id %s, project %s)',
  Info_Waiting: 'Waiting for %d dependencies (match %s); checking every %ss, timeout %s.',
  Info_StateChanged: '%s: %s',
  Info_Heartbeat: 'Still waiting after %s for %d of %d: %s',
  Info_AllMet: 'All %d dependencies met after %s.',
  Info_Throttled: 'Azure DevOps is throttling requests (HTTP 429, %s); waiting %ss as it asks.',
  Info_Retrying: '%s %s failed (%s); retry %d of %d in %ss.',
  Warning_Timeout: 'Timed out after %s; continuing as onTimeout is succeedWithIssues. Unmet: %s',
  Info_Arrived: "Arrived at gate '%s' of train '%s' (%s); waiting for %d of %d members (quorum %d).",
  Info_MemberState: '%s: %s',
  Info_GateOpen: "Gate '%s' of train '%s' is open: %d of %d members arrived. Passing.",
  Info_GateHeartbeat: "Still at gate '%s' after %s: %d of %d needed have arrived. Missing: %s",
  Info_Withdrawn: "Withdrew this run's arrival at gate '%s' of train '%s'.",
  Warning_GateTimeout: "Gate '%s' of train '%s' did not open after %s; continuing as onTimeout is succeedWithIssues. Missing: %s",
  Info_RollbackPlan: "Rollback plan for train '%s'%s:",
  Info_DryRun: 'Dry run: nothing was changed.',
  Info_AlreadyRolledBack: "Train '%s' was already rolled back (by run #%s); nothing to do.",
  Info_RollbackLeader: 'The rollback is performed by %s.',
  Info_RollbackByOther: 'The rollback was performed by %s.',
  Info_TakingOver: '%s stopped leading the rollback; this run takes over and repeats nothing already done.',
  Info_RollbackIssued: '%s: %s.',
  Info_RollbackAlreadyIssued: '%s: already issued (by run #%s); following it.',
  Warning_StageUnchecked: "Stage '%s' of pipeline '%s' cannot be checked yet: the pipeline has no run with a timeline.",
  Warning_DependencyFailedWaiting: '%s: run %s %s; waiting for a newer matching run (onDependencyFailure: wait).',
} as const;

export type MessageKey = keyof typeof messages;

/** Renders a message; a task host swaps in tl.loc so the agent's culture applies. */
export type Localize = (key: MessageKey, ...args: unknown[]) => string;

export const english: Localize = (key, ...args) => format(messages[key], ...args);
