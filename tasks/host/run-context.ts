import * as tl from 'azure-pipelines-task-lib/task';
import type { RunContext } from '../../src/run-context';

/** The core's RunContext, plus what the agent tells a task about its run that the core has no use for yet. */
export interface AgentRunContext extends RunContext {
  /** Release.EnvironmentName, in a classic release. */
  environmentName?: string;
}

/**
 * Reads this run from the agent's variables. A classic release also sets Build.* (for its primary artifact), so
 * Release.ReleaseId decides the kind, and the commit and branch come from the primary artifact.
 */
export function readRunContext(): AgentRunContext {
  const v = (name: string) => tl.getVariable(name) || undefined;
  const id = (name: string) => {
    const text = v(name);
    return text && /^\d+$/.test(text) ? Number(text) : undefined;
  };
  const base = { project: v('System.TeamProject') ?? '', projectId: v('System.TeamProjectId') };

  if (v('Release.ReleaseId')) {
    const alias = v('Release.PrimaryArtifactSourceAlias');
    const commitVariable = alias ? `Release.Artifacts.${alias}.SourceVersion` : 'Build.SourceVersion';
    const branchVariable = alias ? `Release.Artifacts.${alias}.SourceBranch` : 'Build.SourceBranch';
    return {
      ...base,
      kind: 'release',
      runId: id('Release.ReleaseId'),
      runName: v('Release.ReleaseName'),
      definitionName: v('Release.DefinitionName'),
      definitionId: id('Release.DefinitionId'),
      environmentName: v('Release.EnvironmentName'),
      stage: v('Release.EnvironmentName'),
      stageAttempt: id('Release.AttemptNumber'),
      jobId: v('System.JobId'),
      commit: v(commitVariable),
      branch: v(branchVariable),
      commitVariable,
      branchVariable,
    };
  }
  return {
    ...base,
    kind: 'build',
    runId: id('Build.BuildId'),
    runName: v('Build.BuildNumber'),
    definitionName: v('Build.DefinitionName'),
    definitionId: id('System.DefinitionId'),
    stage: v('System.StageName'),
    stageAttempt: id('System.StageAttempt'),
    jobId: v('System.JobId'),
    commit: v('Build.SourceVersion'),
    branch: v('Build.SourceBranch'),
    commitVariable: 'Build.SourceVersion',
    branchVariable: 'Build.SourceBranch',
  };
}
