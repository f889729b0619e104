import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import type { BuildInput, Scenario, ScenarioEvent } from '../../emulator/scenario';
import { harnessRun, TaskResult } from '../../emulator/agent/agent-harness';
import { jobRecordId, stageRecordId } from '../../emulator/world/build-lifecycle';
import { emulatorPerTest } from '../support/emulator-per-test';
import { jobToken, SCALE, waitTask } from '../support/wait-task';

/**
 * Deadlock detection and parallel stages (issue 13, case 4), through the bundled WaitForDependency tasks against the
 * emulator. svc-a runs Infra and App side by side after Build, and Deploy after both; its App stage waits. svc-b has
 * Wait and Side side by side, and Deploy after Side. Policy time runs SCALE times faster (a 5 s interval is 0.25 s).
 */
const commit = harnessRun.commit;
const svcA = { name: 'svc-a', definitionId: 21, buildId: 301 };
const svcB = { name: 'svc-b', definitionId: 22, buildId: 302 };

describe('WaitForDependency@1 deadlock detection with parallel stages and stale waits (bundled tasks, emulator)', function () {
  this.timeout(30_000);
  const startEmulator = emulatorPerTest(SCALE);

  const run = (m: typeof svcA, stages: BuildInput['stages'], extra: Partial<BuildInput> = {}): BuildInput => ({
    id: m.buildId, definition: m.name, buildNumber: `2.3.${m.buildId}`, sourceVersion: commit, sourceBranch: 'refs/heads/main', status: 'inProgress', queueTime: -60_000, stages, ...extra,
  });
  /** svc-a's run: Build done, Infra and App running side by side, Deploy waiting for both. */
  const svcARun = () => run(svcA, [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Infra', state: 'inProgress' }, { identifier: 'App', state: 'inProgress' }, { identifier: 'Deploy' }]);

  function scenario(builds: BuildInput[], events: ScenarioEvent[] = []): Scenario {
    return {
      token: jobToken,
      behaviour: { queuedRunMs: 5_000 },
      projects: [
        {
          name: 'Shop',
          buildDefinitions: [
            { id: svcA.definitionId, name: svcA.name, stages: ['Build', { identifier: 'Infra', dependsOn: ['Build'] }, { identifier: 'App', dependsOn: ['Build'] }, { identifier: 'Deploy', dependsOn: ['Infra', 'App'] }] },
            { id: svcB.definitionId, name: svcB.name, stages: [{ identifier: 'Wait', dependsOn: [] }, { identifier: 'Side', dependsOn: [] }, { identifier: 'Deploy', dependsOn: ['Side'] }] },
          ],
          builds,
        },
      ],
      events,
    };
  }

  /** A WaitForDependency step in `stage` of member m's run, with the job id the agent would hand it. */
  function waitIn(e: Emulator, m: typeof svcA, stage: string, dependencies: string, inputs: Record<string, string> = {}) {
    return waitTask(e, { dependencies, ...inputs }, {
      variables: {
        'Build.BuildId': String(m.buildId),
        'Build.BuildNumber': `2.3.${m.buildId}`,
        'Build.DefinitionName': m.name,
        'System.DefinitionId': String(m.definitionId),
        'System.StageName': stage,
        'System.StageAttempt': String(e.state.stage(m.buildId, stage)!.attempt),
        'System.JobId': jobRecordId(e.state.stage(m.buildId, stage)!.recordId),
      },
    });
  }

  /** What a waiter in svc-b's Wait stage published before it was killed: it waits for svc-a's App, where svc-a's wait runs. */
  const staleWait = (attempt: number, jobId: string) => ({
    'Lockstep.Waiting': JSON.stringify({
      task: 'WaitForDependency', kind: 'yaml', project: 'Shop', definitionId: svcB.definitionId, definitionName: svcB.name,
      stage: 'Wait', stageAttempt: attempt, jobId, since: '2026-11-27T08:00:00Z',
      waitsFor: [{ label: 'svc-a@App', kind: 'yaml', project: 'Shop', definitionId: svcA.definitionId, definitionName: svcA.name, stage: 'App' }],
    }),
  });

  const noDeadlock = (r: TaskResult) => assert.ok(!r.stdout.includes('Deadlock'), r.stdout);

  it('reports no deadlock when svc-a\'s App waits for svc-b@Deploy while svc-b waits for svc-a@Infra, which runs beside App; both succeed', async () => {
    const e = await startEmulator(scenario([svcARun(), run(svcB, [{ identifier: 'Wait', state: 'inProgress' }, { identifier: 'Side', result: 'succeeded' }, { identifier: 'Deploy' }])], [
      { at: 20_000, build: svcA.buildId, stage: 'Infra', result: 'succeeded' },
      { at: 22_000, build: svcB.buildId, stage: 'Wait', result: 'succeeded' },
      { at: 22_000, build: svcB.buildId, stage: 'Deploy', state: 'inProgress' },
      { at: 35_000, build: svcB.buildId, stage: 'Deploy', result: 'succeeded' },
    ]));
    const a = waitIn(e, svcA, 'App', 'svc-b@Deploy');
    const b = waitIn(e, svcB, 'Wait', 'svc-a@Infra');
    const [ra, rb] = await Promise.all([a.done.then((r) => ({ r, at: e.elapsedMs() })), b.done.then((r) => ({ r, at: e.elapsedMs() }))]);
    assert.equal(rb.r.result.status, 'Succeeded', rb.r.stdout);
    assert.equal(ra.r.result.status, 'Succeeded', ra.r.stdout);
    noDeadlock(ra.r);
    noDeadlock(rb.r);
    assert.ok(rb.at - 20_000 <= 5_000 + 2_000, `svc-b passed ${rb.at - 20_000} ms after Infra succeeded`);
    assert.ok(ra.at - 35_000 <= 5_000 + 2_000, `svc-a passed ${ra.at - 35_000} ms after svc-b's Deploy succeeded`);
  });

  it('ignores a wait left on a completed run by a killed waiter, which would close a cycle, and succeeds on the next run', async () => {
    const killed = run(svcB, [{ identifier: 'Wait', result: 'failed' }, { identifier: 'Side', result: 'succeeded' }, { identifier: 'Deploy', result: 'skipped' }], {
      status: 'completed', result: 'failed', properties: staleWait(1, jobRecordId(stageRecordId(svcB.buildId, 'Wait', 1))),
    });
    // A newer run of svc-b for the same commit: Wait and Side, then Deploy, 5 s each.
    const e = await startEmulator(scenario([svcARun(), killed], [{ at: 15_000, queueBuild: { id: 303, project: 'Shop', definition: svcB.name, buildNumber: '2.3.303', sourceVersion: commit } }]));
    const r = await waitIn(e, svcA, 'App', 'svc-b@Deploy', { onDependencyFailure: 'wait' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    noDeadlock(r);
    assert.equal(JSON.parse(r.outputs.resolvedRuns)[0].runId, 303);
  });

  it('ignores a wait whose stage runs again as a later attempt, and one whose job ended while its run goes on, and succeeds', async () => {
    // Attempt 1 of Wait published the wait and was killed; attempt 2 now runs. Side runs beside it; Deploy waits for Side.
    const retried = run(svcB, [{ identifier: 'Wait', attempts: [{ result: 'failed' }, { state: 'inProgress' }] }, { identifier: 'Side', state: 'inProgress' }, { identifier: 'Deploy' }], {
      properties: staleWait(1, jobRecordId(stageRecordId(svcB.buildId, 'Wait', 1))),
    });
    const events: ScenarioEvent[] = [
      { at: 15_000, build: svcB.buildId, stage: 'Side', result: 'succeeded' },
      { at: 15_000, build: svcB.buildId, stage: 'Deploy', state: 'inProgress' },
      { at: 25_000, build: svcB.buildId, stage: 'Deploy', result: 'succeeded' },
    ];
    const e = await startEmulator(scenario([svcARun(), retried], events));
    const r = await waitIn(e, svcA, 'App', 'svc-b@Deploy').done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    noDeadlock(r);

    // The same attempt, its job killed (completed) while Side still runs: the record stays, its waiter is gone.
    const killedJob = run(svcB, [{ identifier: 'Wait', result: 'failed' }, { identifier: 'Side', state: 'inProgress' }, { identifier: 'Deploy' }], {
      properties: staleWait(1, jobRecordId(stageRecordId(svcB.buildId, 'Wait', 1))),
    });
    const e2 = await startEmulator(scenario([svcARun(), killedJob], events));
    const r2 = await waitIn(e2, svcA, 'App', 'svc-b@Deploy').done;
    assert.equal(r2.result.status, 'Succeeded', r2.stdout);
    noDeadlock(r2);
  });

  it('still finds a real cycle through live waits, each naming its attempt and job: svc-a@Deploy waits for App, where svc-a waits for svc-b; both fail naming it', async () => {
    const e = await startEmulator(scenario([svcARun(), run(svcB, [{ identifier: 'Wait', state: 'inProgress' }, { identifier: 'Side', state: 'inProgress' }, { identifier: 'Deploy' }])]));
    const a = waitIn(e, svcA, 'App', 'svc-b@Deploy');
    const b = waitIn(e, svcB, 'Wait', 'svc-a@Deploy');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.result.status, 'Failed', ra.stdout);
    assert.equal(ra.result.message, 'Deadlock: svc-a → svc-b@Deploy → svc-a@Deploy. These waits can never end; change the order of the stages or the gates.');
    assert.equal(rb.result.status, 'Failed', rb.stdout);
    assert.equal(rb.result.message, 'Deadlock: svc-b → svc-a@Deploy → svc-b@Deploy. These waits can never end; change the order of the stages or the gates.');
    assert.ok(Number(rb.outputs.waitedSeconds) <= 2 * 5 + 2 && Number(ra.outputs.waitedSeconds) <= 2 * 5 + 2, `detected after ${ra.outputs.waitedSeconds}s and ${rb.outputs.waitedSeconds}s`);
    const published = JSON.parse(String(e.state.build(svcA.buildId)!.properties['Lockstep.Waiting']?.$value ?? e.state.build(svcB.buildId)!.properties['Lockstep.Waiting']?.$value));
    assert.equal(published.stageAttempt, 1);
    assert.match(published.jobId, /^[0-9a-f-]{36}$/);
  });
});
