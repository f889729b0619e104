import assert from 'node:assert/strict';
import type { BuildInput, Scenario } from '../../emulator/scenario';
import { harnessRun, TaskResult } from '../../emulator/agent/agent-harness';
import { SCALE, waitTask as task, waiterEmulatorPerTest } from '../support/wait-task';
import { leastWaitedSeconds } from '../support/least-waited';

/**
 * WaitForDependency@1 on a `trigger: manual` stage (issue 13, case 2): the bundled task against the emulator. api's
 * run completes while its manual Prod stage, never started, stays pending; a person may start it at any time. Policy
 * time runs SCALE times faster (a 5 s poll interval is 0.25 s).
 */
const commit = harnessRun.commit;

describe('WaitForDependency@1 on a manual stage (bundled task, agent harness, emulator)', function () {
  this.timeout(30_000);
  const startEmulator = waiterEmulatorPerTest(SCALE);

  /** api (Build, Prod manual, Smoke after it) with run 201 of this commit completed, Prod not started. (start adds the waiting run 1001.) */
  function scenario(extra: Partial<Scenario> = {}): Scenario {
    const completedWithManualProd: BuildInput = {
      id: 201, definition: 'api', buildNumber: '2.3.201', sourceVersion: commit, sourceBranch: 'refs/heads/main', status: 'completed', result: 'succeeded',
      queueTime: -120_000, startTime: -115_000, finishTime: -60_000,
      stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Prod' }, { identifier: 'Smoke' }],
    };
    return {
      behaviour: { manualStageMs: 10_000, queuedRunMs: 5_000 },
      projects: [
        {
          name: 'Shop',
          buildDefinitions: [{ id: 11, name: 'api', stages: ['Build', { identifier: 'Prod', trigger: 'manual' }, 'Smoke'] }],
          builds: [completedWithManualProd],
        },
      ],
      ...extra,
    };
  }

  const statesLogged = (r: TaskResult) => r.log.filter((l) => l.startsWith('api@Prod: '));
  const waitsForPerson = 'api@Prod: run 2.3.201 (#201): stage Prod waits to be started by a person';

  it('keeps waiting while the manual stage waits to be started by a person, says so, and succeeds within one poll of it succeeding once started', async () => {
    // A person starts Prod at 20 s; it runs 10 s (manualStageMs) and succeeds at 30 s.
    const e = await startEmulator(scenario({ events: [{ at: 20_000, build: 201, stage: 'Prod', run: true }] }));
    const r = await task(e, { dependencies: 'api@Prod' }).done;
    const exitedAt = e.elapsedMs();
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const states = statesLogged(r);
    assert.equal(states[0], waitsForPerson, r.stdout);
    assert.equal(states.at(-1), 'api@Prod: run 2.3.201 (#201): stage Prod succeeded');
    assert.ok(states.every((l) => !/did not run|failed/.test(l)), states.join('\n'));
    assert.ok(exitedAt - 30_000 <= 5_000 + 2_000, `exited ${exitedAt - 30_000} ms (policy time) after Prod succeeded`);
    assert.ok(Number(r.outputs.waitedSeconds) >= leastWaitedSeconds(e, 30_000), `waited ${r.outputs.waitedSeconds}s: it did not pass before Prod succeeded`);
  });

  it('times out as onTimeout says, rather than failing, when nobody starts the manual stage, naming it in the message and the summary', async () => {
    const e = await startEmulator(scenario());
    const r = await task(e, { dependencies: 'api@Prod', timeoutMinutes: '1', onTimeout: 'succeedWithIssues' }).done;
    assert.equal(r.result.status, 'SucceededWithIssues', r.stdout);
    assert.equal(r.warnings[0], 'Timed out after 1m00s; continuing as onTimeout is succeedWithIssues. Unmet: api@Prod (run 2.3.201 (#201): stage Prod waits to be started by a person)');
    assert.deepEqual(statesLogged(r), [waitsForPerson]);
    const summary = r.attachments.find((a) => a.type === 'Distributedtask.Core.Summary')?.content ?? '';
    assert.ok(summary.includes('| ⏳ `api@Prod` | Shop | [2.3.201 (#201)]') && summary.includes('stage Prod waits to be started by a person'), summary);
    assert.equal(JSON.parse(r.outputs.resolvedRuns)[0].result, null, 'neither met nor failed');
  });
});
