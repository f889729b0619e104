import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { harnessRun, runTask, runTaskToEnd, variableKey } from '../../emulator/agent/agent-harness';
import { parseCommand } from '../../emulator/agent/logging-commands';
import { bundleHostProbe } from './probe-bundle';

describe('the agent harness', function () {
  this.timeout(20_000);

  it("reads logging commands the agent's way, undoing its escapes in properties and message", () => {
    const command = parseCommand('##vso[task.setvariable variable=a%3Bb%5D;isOutput=true;]100%AZP25%0Adone %AZP253B');
    assert.deepEqual(command && { ...command, line: undefined }, {
      command: 'task.setvariable',
      area: 'task',
      event: 'setvariable',
      properties: { variable: 'a;b]', isOutput: 'true' },
      message: '100%\ndone %3B',
      line: undefined,
    });
    assert.equal(parseCommand('plain text'), undefined);
  });

  it('names environment variables as the agent does', () => {
    assert.equal(variableKey('System.Debug'), 'SYSTEM_DEBUG');
    assert.equal(variableKey('Release.Artifacts._web.SourceVersion'), 'RELEASE_ARTIFACTS__WEB_SOURCEVERSION');
    assert.equal(variableKey('my var'), 'MY_VAR');
  });

  describe('with a bundled probe task', () => {
    let probeDir: string;
    before(async () => {
      probeDir = await bundleHostProbe();
    });
    after(() => fs.rmSync(probeDir, { recursive: true, force: true }));

    it("fills inputs that are not given with task.json's defaults and expands their $(variable) macros", async () => {
      const run = await runTaskToEnd({ taskDir: probeDir, inputs: { mode: 'echo-inputs', names: 'project,train,quorum,gate' } });
      assert.deepEqual(
        { project: run.outputs['project'], train: run.outputs['train'], quorum: run.outputs['quorum'], gate: run.outputs['gate'] },
        { project: harnessRun.project, train: harnessRun.commit, quorum: '0', gate: '<unset>' },
      );
    });

    it('lets given variables override the host and leaves unknown macros as written', async () => {
      const run = await runTaskToEnd({
        taskDir: probeDir,
        inputs: { mode: 'echo-inputs', names: 'project,other', other: '$(Not.Defined)' },
        variables: { 'System.TeamProject': 'Fabrikam' },
      });
      assert.equal(run.outputs['project'], 'Fabrikam');
      assert.equal(run.outputs['other'], '$(Not.Defined)');
    });

    it('waits for a line that is yet to come and rejects when the task ends without it', async () => {
      const run = runTask({ taskDir: probeDir, inputs: { mode: 'outputs' } });
      assert.equal(await run.waitForLine(/^an info line$/), 'an info line');
      await assert.rejects(run.waitForLine(/never printed/, 5_000), /No line matched \/never printed\/: the task ended/);
      await run.done;
    });

    it('kills a task that outlives killAfterMs and says so', async () => {
      const run = await runTaskToEnd({ taskDir: probeDir, inputs: { mode: 'ignore-cancel' }, killAfterMs: 300 });
      assert.equal(run.killed, true);
      assert.equal(run.signal, 'SIGKILL');
      assert.equal(run.result.status, undefined);
    });
  });
});
