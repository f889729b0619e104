/** The run a task executes in: a YAML/build run, or a classic release. Read by the host from the agent's variables. */
export interface RunContext {
  kind: 'build' | 'release';
  /** This run's project name (System.TeamProject). */
  project: string;
  /** This run's project id (System.TeamProjectId); security tokens name projects by id. */
  projectId?: string;
  /** The build id (Build.BuildId) or release id (Release.ReleaseId). */
  runId?: number;
  /** The run number (Build.BuildNumber) or release name (Release.ReleaseName). */
  runName?: string;
  /** The pipeline's name (Build.DefinitionName or Release.DefinitionName). */
  definitionName?: string;
  /** The pipeline's id (System.DefinitionId or Release.DefinitionId). */
  definitionId?: number;
  /** Where in the run the task executes: the stage (System.StageName) or classic environment (Release.EnvironmentName). */
  stage?: string;
  /** Which attempt of that stage (System.StageAttempt) or deployment (Release.AttemptNumber). */
  stageAttempt?: number;
  /** The job's timeline record id (System.JobId). */
  jobId?: string;
  /** This run's commit: Build.SourceVersion, or in a classic release the primary artifact's source version. */
  commit?: string;
  /** This run's branch, refs/heads/...: Build.SourceBranch, or the primary artifact's source branch. */
  branch?: string;
  /** The variable names commit and branch came from, for messages when they are missing. */
  commitVariable: string;
  branchVariable: string;
}
