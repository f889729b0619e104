import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRIMMED_MARK } from '../../scripts/task-bundle-trim';
import { parseCommand, type ParsedCommand } from './logging-commands';

/**
 * Runs a bundled task the way the Azure Pipelines agent does: a separate Node process (child_process.spawn, never
 * MockTestRunner, whose spawnSync would block an emulator running in this process) with the task's inputs, the
 * job's endpoint and the run's variables in its environment, and reads back the `##vso[...]` commands it prints.
 */

export type TaskName = 'wait-for-dependency' | 'sync-gate' | 'coordinated-rollback';

/** A service connection the job may use, as the agent hands it to a task. */
export interface ServiceEndpoint {
  /** The connection's id; a task's connectedService input holds it. */
  id: string;
  url: string;
  /** e.g. `Token` (parameters.apitoken) or `UsernamePassword` (parameters.username, parameters.password). */
  scheme: string;
  parameters: Record<string, string>;
}

export interface TaskRunOptions {
  /** A task under dist/tasks (built by `npm run build`)... */
  task?: TaskName;
  /** ...or any folder holding a task.json and its entry point. */
  taskDir?: string;
  /** By input name as in task.json. Inputs not given get task.json's defaultValue, as the agent does. */
  inputs: Record<string, string>;
  /** Default: a local URL where nothing listens, so a stray request fails at once. */
  collectionUrl?: string;
  /** The job's OAuth token on SYSTEMVSSCONNECTION. Default: a fixed fake token; '' leaves the endpoint's auth out. */
  token?: string;
  /** Pipeline variables by name (`System.Debug`); they override the host's and become env vars the agent's way. */
  variables?: Record<string, string>;
  /** Which kind of run the task runs in; sets plausible Build.* or Release.* variables. Default: build. */
  host?: 'build' | 'release';
  /** Service connections besides SYSTEMVSSCONNECTION. */
  endpoints?: ServiceEndpoint[];
  /** Raw environment variables, applied last. */
  env?: Record<string, string>;
  /** The Node that runs the task. Default: the one running the tests. */
  nodePath?: string;
  /** Whether inputs missing from `inputs` get task.json's defaultValue. Default: true, as on the agent. */
  applyDefaults?: boolean;
  /** Kill the task (SIGKILL) if it runs longer. Default: 60 s. */
  killAfterMs?: number;
  /** Keep Agent.TempDirectory after the run (it holds summary files). Default: removed. */
  keepTempDir?: boolean;
}

export interface TaskResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every logging command, in order. */
  commands: ParsedCommand[];
  /** From the last task.complete. */
  result: { status: 'Succeeded' | 'SucceededWithIssues' | 'Failed' | undefined; message: string };
  /** task.setvariable with isOutput=true, by name. */
  outputs: Record<string, string>;
  /** Every task.setvariable, by name. */
  variables: Record<string, string>;
  progress: { value: number; text: string }[];
  /** task.addattachment, with the file's content read when the task ended. */
  attachments: { type: string; name: string; path: string; content: string | undefined }[];
  /** task.issue messages by type. */
  warnings: string[];
  errors: string[];
  debug: string[];
  /** task.setsecret values. */
  secrets: string[];
  /** Lines of stdout that are not logging commands: what a person reads in the log. */
  log: string[];
  durationMs: number;
  /** True when killAfterMs passed and the harness killed the task. */
  killed: boolean;
}

export interface TaskRun {
  process: ChildProcess;
  done: Promise<TaskResult>;
  /** The complete stdout lines so far. */
  lines(): string[];
  /** What the agent sends first when the job is canceled. */
  sigint(): void;
  /** What the agent sends 7.5 s after SIGINT. */
  sigterm(): void;
  /** The first stdout line (seen already or yet to come) that matches; rejects on timeout or when the task ends. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Agent.TempDirectory of this run. */
  tempDir: string;
}

/** A commit, project and ids the harness's build and release hosts describe. */
export const harnessRun = {
  project: 'Shop',
  projectId: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
  commit: '3f2a9c1e5b7d4f60a8e2c9b1d3f5a7c9e1b3d5f7',
  branch: 'refs/heads/main',
  buildId: 1001,
  buildNumber: '20261127.1',
  definitionName: 'web',
  releaseId: 31,
  releaseName: 'Release-31',
  releaseDefinitionName: 'web-release',
  environmentName: 'Prod',
  primaryArtifactAlias: '_web',
  token: 'harness-job-token-0f3c9a7e52d14b8e',
} as const;

/** Where nothing listens: a task that calls out without being given a URL fails at once. */
const NOWHERE = 'http://127.0.0.1:1/harness/';

export function runTask(options: TaskRunOptions): TaskRun {
  const taskDir = options.taskDir ?? (options.task ? path.join(repoRoot(), 'dist', 'tasks', options.task) : undefined);
  if (!taskDir) throw new Error('runTask needs `task` or `taskDir`.');
  const taskJson = JSON.parse(fs.readFileSync(path.join(taskDir, 'task.json'), 'utf8').replace(/^\uFEFF/, ''));
  const entry = taskJson.execution?.Node20_1?.target ?? taskJson.execution?.Node24?.target ?? 'main.js';

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-agent-'));
  const collectionUrl = options.collectionUrl ?? NOWHERE;
  const variables = new Map<string, string>(Object.entries(hostVariables(options.host ?? 'build', collectionUrl, tempDir)));
  for (const [name, value] of Object.entries(options.variables ?? {})) variables.set(name, value);

  const env: NodeJS.ProcessEnv = { ...inheritedEnv(), TF_BUILD: 'True' };
  for (const [name, value] of variables) env[variableKey(name)] = value;
  env['VSTS_PUBLIC_VARIABLES'] = JSON.stringify([...variables.keys()]);
  for (const [name, value] of Object.entries(taskInputs(taskJson, options, variables))) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const token = options.token ?? harnessRun.token;
  const jobEndpoint: ServiceEndpoint = { id: 'SYSTEMVSSCONNECTION', url: collectionUrl, scheme: 'OAuth', parameters: token === '' ? {} : { AccessToken: token } };
  for (const endpoint of [jobEndpoint, ...(options.endpoints ?? [])]) Object.assign(env, endpointEnv(endpoint, token === '' && endpoint === jobEndpoint));
  Object.assign(env, options.env ?? {});

  const started = Date.now();
  const child = spawn(options.nodePath ?? process.execPath, [path.join(taskDir, entry)], {
    cwd: tempDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const stdoutLines: string[] = [];
  let partial = '';
  let stdout = '';
  let stderr = '';
  let ended = false;
  let killed = false;
  const waiters = new Set<{ test(line: string): boolean; fail(reason: string): void }>();
  const onLine = (line: string) => {
    stdoutLines.push(line);
    for (const waiter of [...waiters]) waiter.test(line);
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const parts = (partial + chunk).split(/\r?\n/);
    partial = parts.pop() ?? '';
    parts.forEach(onLine);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killTimer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.killAfterMs ?? 60_000);

  const done = new Promise<TaskResult>((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(killTimer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(killTimer);
      if (partial) onLine(partial);
      ended = true;
      for (const waiter of [...waiters]) waiter.fail(`the task ended (exit ${exitCode ?? signal})`);
      const result = readResult({ exitCode, signal, stdout, stderr, lines: stdoutLines, durationMs: Date.now() - started, killed });
      if (!options.keepTempDir) fs.rmSync(tempDir, { recursive: true, force: true });
      // A module the bundle left out as dead was reached: whatever the test expected, the bundle is wrong.
      const trimmed = stderr.split(/\r?\n/).find((line) => line.startsWith(TRIMMED_MARK));
      if (trimmed) return reject(new Error(trimmed));
      resolve(result);
    });
  });

  return {
    process: child,
    done,
    tempDir,
    lines: () => [...stdoutLines],
    sigint: () => void child.kill('SIGINT'),
    sigterm: () => void child.kill('SIGTERM'),
    waitForLine: (pattern, timeoutMs = 10_000) =>
      new Promise<string>((resolve, reject) => {
        const seen = stdoutLines.find((line) => pattern.test(line));
        if (seen !== undefined) return resolve(seen);
        if (ended) return reject(new Error(`No line matched ${pattern}; the task has ended.\n${tail(stdoutLines)}`));
        const waiter = {
          test: (line: string) => {
            if (!pattern.test(line)) return false;
            settle();
            resolve(line);
            return true;
          },
          fail: (reason: string) => {
            settle();
            reject(new Error(`No line matched ${pattern}: ${reason}.\n${tail(stdoutLines)}`));
          },
        };
        const timer = setTimeout(() => waiter.fail(`nothing within ${timeoutMs} ms`), timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        waiters.add(waiter);
      }),
  };
}

export function runTaskToEnd(options: TaskRunOptions): Promise<TaskResult> {
  return runTask(options).done;
}

/** What the agent calls an environment variable for a variable: upper case, `.` and space become `_`. */
export function variableKey(name: string): string {
  return name.replace(/[. ]/g, '_').toUpperCase();
}

/** The variables the agent sets for a job of this kind (a plausible subset). */
export function hostVariables(host: 'build' | 'release', collectionUrl: string, tempDir: string): Record<string, string> {
  const r = harnessRun;
  const common = {
    'System.TeamFoundationCollectionUri': collectionUrl,
    'System.CollectionUri': collectionUrl,
    'System.TeamProject': r.project,
    'System.TeamProjectId': r.projectId,
    'System.Culture': 'en-US',
    'System.DefaultWorkingDirectory': tempDir,
    'Agent.TempDirectory': tempDir,
    'Agent.Version': '4.260.0',
    'Agent.Name': 'lockstep-harness',
    'Agent.OS': { win32: 'Windows_NT', darwin: 'Darwin' }[process.platform as string] ?? 'Linux',
  };
  const primaryBuild = {
    'Build.BuildId': String(r.buildId),
    'Build.BuildNumber': r.buildNumber,
    'Build.DefinitionName': r.definitionName,
    'Build.SourceVersion': r.commit,
    'Build.SourceBranch': r.branch,
    'Build.SourceBranchName': r.branch.replace(/^refs\/heads\//, ''),
  };
  if (host === 'build') {
    return {
      ...common,
      ...primaryBuild,
      'System.HostType': 'build',
      'System.DefinitionId': '12',
      'System.StageName': 'Deploy',
      'System.StageAttempt': '1',
      'System.JobId': '2f1d3c4b-5a69-4e7f-8a1b-0c2d3e4f5a6b',
      'System.JobAttempt': '1',
      'Build.Reason': 'IndividualCI',
    };
  }
  const alias = r.primaryArtifactAlias;
  // A classic release also describes its primary artifact's build in Build.*.
  return {
    ...common,
    ...primaryBuild,
    'System.HostType': 'release',
    'Release.ReleaseId': String(r.releaseId),
    'Release.ReleaseName': r.releaseName,
    'Release.DefinitionName': r.releaseDefinitionName,
    'Release.DefinitionId': '4',
    'Release.EnvironmentId': '7',
    'Release.AttemptNumber': '1',
    'System.JobId': '6b5a4f3e-2d1c-4b0a-9f8e-7d6c5b4a3f2e',
    'Release.EnvironmentName': r.environmentName,
    'Release.PrimaryArtifactSourceAlias': alias,
    [`Release.Artifacts.${alias}.SourceVersion`]: r.commit,
    [`Release.Artifacts.${alias}.SourceBranch`]: r.branch,
    [`Release.Artifacts.${alias}.BuildId`]: String(r.buildId),
    [`Release.Artifacts.${alias}.BuildNumber`]: r.buildNumber,
  };
}

/** The inputs the agent hands the task: the given ones, task.json's defaults for the rest, `$(var)` macros expanded. */
function taskInputs(taskJson: { inputs?: { name: string; defaultValue?: string | boolean }[] }, options: TaskRunOptions, variables: Map<string, string>) {
  const values: Record<string, string> = {};
  if (options.applyDefaults ?? true) {
    for (const input of taskJson.inputs ?? []) values[input.name] = String(input.defaultValue ?? '').trim();
  }
  Object.assign(values, options.inputs);
  const byLowerName = new Map([...variables].map(([name, value]) => [name.toLowerCase(), value]));
  // The agent leaves a macro whose variable is not defined as it is.
  for (const name of Object.keys(values)) {
    values[name] = values[name].replace(/\$\(([^)]+)\)/g, (macro, variable: string) => byLowerName.get(variable.trim().toLowerCase()) ?? macro);
  }
  return values;
}

function endpointEnv(endpoint: ServiceEndpoint, withoutAuth: boolean): Record<string, string> {
  const id = endpoint.id;
  const env: Record<string, string> = { [`ENDPOINT_URL_${id}`]: endpoint.url };
  if (withoutAuth) return env;
  env[`ENDPOINT_AUTH_${id}`] = JSON.stringify({ parameters: endpoint.parameters, scheme: endpoint.scheme });
  env[`ENDPOINT_AUTH_SCHEME_${id}`] = endpoint.scheme;
  for (const [key, value] of Object.entries(endpoint.parameters)) env[`ENDPOINT_AUTH_PARAMETER_${id}_${variableKey(key)}`] = value;
  return env;
}

/**
 * Only what a process needs to start, never this process's own pipeline variables: tests that run inside Azure
 * Pipelines would otherwise hand the task the real job's SYSTEM_*, BUILD_* and ENDPOINT_* values.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const keep = /^(PATH|PATHEXT|HOME|USERPROFILE|SYSTEMROOT|SYSTEMDRIVE|WINDIR|COMSPEC|TEMP|TMP|TMPDIR|LANG|LC_ALL|NODE_V8_COVERAGE)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => keep.test(key)));
}

function readResult(raw: {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: string[];
  durationMs: number;
  killed: boolean;
}): TaskResult {
  const result: TaskResult = {
    exitCode: raw.exitCode,
    signal: raw.signal,
    stdout: raw.stdout,
    stderr: raw.stderr,
    commands: [],
    result: { status: undefined, message: '' },
    outputs: {},
    variables: {},
    progress: [],
    attachments: [],
    warnings: [],
    errors: [],
    debug: [],
    secrets: [],
    log: [],
    durationMs: raw.durationMs,
    killed: raw.killed,
  };
  for (const line of raw.lines) {
    const command = parseCommand(line);
    if (!command) {
      result.log.push(line);
      continue;
    }
    result.commands.push(command);
    const p = command.properties;
    switch (command.command.toLowerCase()) {
      case 'task.complete':
        result.result = { status: p['result'] as TaskResult['result']['status'], message: command.message };
        break;
      case 'task.setvariable':
        result.variables[p['variable']] = command.message;
        if ((p['isOutput'] ?? p['isoutput'] ?? '').toLowerCase() === 'true') result.outputs[p['variable']] = command.message;
        break;
      case 'task.setprogress':
        result.progress.push({ value: Number(p['value']), text: command.message });
        break;
      case 'task.addattachment':
        result.attachments.push({
          type: p['type'],
          name: p['name'],
          path: command.message,
          content: fs.existsSync(command.message) ? fs.readFileSync(command.message, 'utf8') : undefined,
        });
        break;
      case 'task.issue':
      case 'task.logissue':
        (p['type'] === 'error' ? result.errors : result.warnings).push(command.message);
        break;
      case 'task.debug':
        result.debug.push(command.message);
        break;
      case 'task.setsecret':
        result.secrets.push(command.message);
        break;
    }
  }
  return result;
}

export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'lockstep') return dir;
    if (path.dirname(dir) === dir) throw new Error(`No lockstep package.json above ${__dirname}`);
  }
}

function tail(lines: string[]): string {
  return lines.slice(-15).join('\n');
}
