import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { harnessRun, runTask, runTaskToEnd, type TaskRunOptions } from '../../emulator/agent/agent-harness';
import { bundleHostProbe } from './probe-bundle';

describe('the task host on the agent (tasks/host, run through a bundled probe task)', function () {
  this.timeout(20_000);
  let probeDir: string;
  const probe = (mode: string, options: Partial<TaskRunOptions> = {}) =>
    runTaskToEnd({ taskDir: probeDir, ...options, inputs: { mode, ...options.inputs } });

  before(async () => {
    probeDir = await bundleHostProbe();
  });
  after(() => fs.rmSync(probeDir, { recursive: true, force: true }));

  it('sets output variables, progress and a summary tab with the commands the agent reads', async () => {
    const run = await probe('outputs');
    assert.equal(run.result.status, 'Succeeded');
    assert.equal(run.exitCode, 0);
    assert.equal(run.outputs['answer'], '42; with ] and %');
    assert.deepEqual(run.progress, [
      { value: 50, text: 'half way' },
      { value: 100, text: 'past the end' },
    ]);
    assert.deepEqual(
      run.attachments.map(({ type, name, content }) => ({ type, name, content })),
      [{ type: 'Distributedtask.Core.Summary', name: 'Lockstep', content: '# Summary\n\nAll done.\n' }],
    );
    assert.ok(run.log.includes('an info line'));
    assert.ok(run.warnings.includes('a warning'));
    assert.ok(run.debug.includes('a debug line'));
  });

  it('writes the summary file into Agent.TempDirectory, which outlives the task', async () => {
    const handle = runTask({ taskDir: probeDir, inputs: { mode: 'outputs' }, keepTempDir: true });
    const run = await handle.done;
    try {
      assert.equal(run.attachments[0].path.startsWith(handle.tempDir), true, `${run.attachments[0].path} is not under ${handle.tempDir}`);
    } finally {
      fs.rmSync(handle.tempDir, { recursive: true, force: true });
    }
  });

  it('reports SucceededWithIssues and Failed outcomes the core returns, with their message', async () => {
    const issues = await probe('issues');
    assert.deepEqual(issues.result, { status: 'SucceededWithIssues', message: 'done, with issues' });
    assert.equal(issues.exitCode, 0);
    const failed = await probe('failed-outcome');
    assert.deepEqual(failed.result, { status: 'Failed', message: 'the core says no' });
    assert.equal(failed.exitCode, 1);
  });

  it('reads the job token from SYSTEMVSSCONNECTION and registers it as a secret before anything prints it', async () => {
    const run = await probe('connection', { collectionUrl: 'https://dev.azure.com/contoso/', variables: { 'System.Debug': 'true' } });
    assert.equal(run.result.status, 'Succeeded', run.result.message);
    const connection = JSON.parse(run.outputs['connection']);
    assert.equal(connection.collectionUrl, 'https://dev.azure.com/contoso/');
    assert.equal(connection.tokenSha256, createHash('sha256').update(harnessRun.token).digest('hex'));
    assert.deepEqual(run.secrets, [harnessRun.token]);
    const linesWithToken = run.stdout.split(/\r?\n/).filter((line) => line.includes(harnessRun.token));
    assert.deepEqual(linesWithToken, [`##vso[task.setsecret]${harnessRun.token}`]);
  });

  it('uses a Token service connection to another organization when the connection input names one', async () => {
    const pat = 'x'.repeat(52);
    const run = await probe('connection', {
      inputs: { connection: '5f0c9a4e-0000-4a4a-9d9d-000000000001' },
      endpoints: [{ id: '5f0c9a4e-0000-4a4a-9d9d-000000000001', url: 'https://dev.azure.com/other/', scheme: 'Token', parameters: { apitoken: pat } }],
    });
    assert.equal(run.result.status, 'Succeeded', run.result.message);
    const connection = JSON.parse(run.outputs['connection']);
    assert.equal(connection.collectionUrl, 'https://dev.azure.com/other/');
    assert.equal(connection.connectionName, '5f0c9a4e-0000-4a4a-9d9d-000000000001');
    assert.equal(connection.tokenSha256, createHash('sha256').update(pat).digest('hex'));
    assert.deepEqual(run.secrets, [pat]);
  });

  it('takes the password of a UsernamePassword service connection as its token', async () => {
    const run = await probe('connection', {
      inputs: { connection: 'conn-basic' },
      endpoints: [{ id: 'conn-basic', url: 'https://tfs.example.test/DefaultCollection/', scheme: 'UsernamePassword', parameters: { username: 'me', password: 'p'.repeat(52) } }],
    });
    assert.equal(run.result.status, 'Succeeded', run.result.message);
    assert.equal(JSON.parse(run.outputs['connection']).tokenSha256, createHash('sha256').update('p'.repeat(52)).digest('hex'));
  });

  it('fails naming the service connection when the job may not use it', async () => {
    const run = await probe('connection', { inputs: { connection: 'missing-connection' } });
    assert.equal(run.result.status, 'Failed');
    assert.match(run.result.message, /Service connection 'missing-connection' is not available to this job/);
  });

  it('fails naming the scheme when a service connection uses one it cannot read', async () => {
    const run = await probe('connection', {
      inputs: { connection: 'conn-oidc' },
      endpoints: [{ id: 'conn-oidc', url: 'https://dev.azure.com/other/', scheme: 'WorkloadIdentityFederation', parameters: {} }],
    });
    assert.equal(run.result.status, 'Failed');
    assert.match(run.result.message, /'conn-oidc' uses the authentication scheme 'WorkloadIdentityFederation'/);
  });

  it("fails with the core's own words when the job has no token", async () => {
    const run = await probe('connection', { token: '' });
    assert.equal(run.result.status, 'Failed');
    assert.match(run.result.message, /^No token: /);
  });

  it("passes the agent's proxy through and registers its password as a secret", async () => {
    const run = await probe('connection', {
      variables: { 'Agent.ProxyUrl': 'http://proxy.example.test:8080', 'Agent.ProxyUsername': 'proxy-user', 'Agent.ProxyBypassList': '["\\\\.internal$"]' },
      env: { AGENT_PROXYPASSWORD: 'proxy-secret' },
    });
    const connection = JSON.parse(run.outputs['connection']);
    assert.deepEqual(connection.proxy, {
      proxyUrl: 'http://proxy.example.test:8080',
      proxyUsername: 'proxy-user',
      proxyPassword: 'proxy-secret',
      proxyBypassHosts: ['\\.internal$'],
    });
    assert.ok(run.secrets.includes('proxy-secret'));
  });

  it("describes a pipeline run from the agent's Build variables", async () => {
    const run = await probe('context', { host: 'build' });
    assert.deepEqual(JSON.parse(run.outputs['context']), {
      project: harnessRun.project,
      projectId: harnessRun.projectId,
      kind: 'build',
      runId: harnessRun.buildId,
      runName: harnessRun.buildNumber,
      definitionName: harnessRun.definitionName,
      definitionId: 12,
      stage: 'Deploy',
      stageAttempt: 1,
      jobId: '2f1d3c4b-5a69-4e7f-8a1b-0c2d3e4f5a6b',
      commit: harnessRun.commit,
      branch: harnessRun.branch,
      commitVariable: 'Build.SourceVersion',
      branchVariable: 'Build.SourceBranch',
    });
  });

  it("describes a classic release from the Release variables and its primary artifact's commit", async () => {
    const run = await probe('context', {
      host: 'release',
      variables: { [`Release.Artifacts.${harnessRun.primaryArtifactAlias}.SourceVersion`]: 'abc123', 'Build.SourceVersion': 'not-this-one' },
    });
    assert.deepEqual(JSON.parse(run.outputs['context']), {
      project: harnessRun.project,
      projectId: harnessRun.projectId,
      kind: 'release',
      runId: harnessRun.releaseId,
      runName: harnessRun.releaseName,
      definitionName: harnessRun.releaseDefinitionName,
      definitionId: 4,
      environmentName: harnessRun.environmentName,
      stage: harnessRun.environmentName,
      stageAttempt: 1,
      jobId: '6b5a4f3e-2d1c-4b0a-9f8e-7d6c5b4a3f2e',
      commit: 'abc123',
      branch: harnessRun.branch,
      commitVariable: `Release.Artifacts.${harnessRun.primaryArtifactAlias}.SourceVersion`,
      branchVariable: `Release.Artifacts.${harnessRun.primaryArtifactAlias}.SourceBranch`,
    });
  });

  it("renders the core's errors through the task's messages and fails with the message alone", async () => {
    const run = await probe('core-error');
    assert.equal(run.result.status, 'Failed');
    assert.equal(run.result.message, "Pipeline 'api-servce' not found in project 'Shop'. Did you mean 'api-service'?");
    assert.deepEqual(run.errors, [run.result.message]);
    assert.equal(run.exitCode, 1);
  });

  it("reads inputs the agent's way, so the core's input errors name the input and the value", async () => {
    const run = await probe('inputs', { inputs: { pollIntervalSeconds: '2' } });
    assert.equal(run.result.message, "Input 'pollIntervalSeconds' must be at least 5, got 2.");
  });

  it("finds task-lib's own messages inside the bundle, with no lib.json beside it", async () => {
    const run = await probe('lib-string');
    assert.equal(run.result.message, 'Input required: absent');
    assert.deepEqual(run.warnings, []);
  });

  it('prints no stack trace unless system.debug is true, and then only as debug lines', async () => {
    const quiet = await probe('throw');
    assert.equal(quiet.result.message, 'boom from the probe');
    assert.doesNotMatch(quiet.stdout + quiet.stderr, /\n\s+at /);
    const verbose = await probe('throw', { variables: { 'System.Debug': 'true' } });
    assert.equal(verbose.result.message, 'boom from the probe');
    assert.ok(verbose.debug.some((line) => /boom from the probe\n\s+at /.test(line)), 'the stack is in a debug line');
    assert.equal(verbose.commands.filter((c) => c.command === 'task.complete').length, 1);
  });

  it('never lets text from other pipelines become a logging command', async () => {
    const run = await probe('inject');
    assert.equal(run.result.status, 'Succeeded');
    assert.equal(run.variables['pwned'], undefined);
    assert.deepEqual(run.errors, []);
    assert.equal(run.log.length >= 2, true);
    assert.ok(run.log.every((line) => !line.includes('##vso[') && !line.startsWith('##[')));
  });

  it('stops promptly and reports Failed with a canceled message when the agent sends SIGINT', async () => {
    const handle = runTask({ taskDir: probeDir, inputs: { mode: 'wait' } });
    await handle.waitForLine(/^waiting$/);
    handle.sigint();
    const run = await handle.done;
    assert.equal(run.result.status, 'Failed');
    assert.equal(run.result.message, 'Stopped because the agent canceled the job (SIGINT).');
    assert.ok(run.log.includes('The agent asked the task to stop (SIGINT); stopping.'));
    assert.equal(run.exitCode, 1);
    assert.ok(run.durationMs < 5_000, `took ${run.durationMs} ms`);
  });

  it('exits on its own shortly after SIGTERM when the work ignores the cancellation', async () => {
    const handle = runTask({ taskDir: probeDir, inputs: { mode: 'ignore-cancel' } });
    await handle.waitForLine(/deaf to the signal/);
    handle.sigint();
    await new Promise((resolve) => setTimeout(resolve, 100));
    handle.sigterm();
    const run = await handle.done;
    assert.equal(run.killed, false);
    assert.equal(run.signal, null, 'it exits rather than dies by the signal');
    assert.equal(run.result.status, 'Failed');
    assert.match(run.warnings.join('\n'), /did not stop within 1500 ms of SIGTERM/);
    assert.equal(run.commands.filter((c) => c.command === 'task.complete').length, 1);
  });
});
