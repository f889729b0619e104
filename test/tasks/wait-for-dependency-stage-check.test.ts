import assert from 'node:assert/strict';
import { apiProject as shop, apiRun as run, SCALE, waitTask as task, waiterEmulatorPerTest } from '../support/wait-task';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { waitFor } from '../emulator/support';

/**
 * A dependency's stage name is checked against this run's own branch's last run (issue 13, case 9), through the
 * bundled WaitForDependency@1 against the emulator. The waiting run is run 1001 of pipeline 'waiter' (id 90) in Shop,
 * on refs/heads/main at harnessRun.commit. Policy time runs SCALE times faster; scenario times below are policy time.
 */
const commit = harnessRun.commit;

describe('WaitForDependency@1: checking a stage name before waiting (bundled task, emulator)', function () {
  this.timeout(40_000);
  const start = waiterEmulatorPerTest(SCALE);

  const runIdOf = (outputs: Record<string, string>) => JSON.parse(outputs.resolvedRuns)[0].runId;

  it('checks the stage against this run\'s branch, so a newer pull request\'s run without Prod does not fail it', async () => {
    const e = await start({
      projects: [
        shop([
          run(241, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, { status: 'completed', result: 'succeeded' }),
          { id: 242, definition: 'api', buildNumber: '2.4.0-pr.7', reason: 'pullRequest', pullRequest: { number: 7 }, status: 'completed', queueTime: -1_000, stages: [{ identifier: 'Build', result: 'succeeded' }] },
        ]),
      ],
    });
    const r = await task(e, { dependencies: 'api@Prod' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.equal(runIdOf(r.outputs), 241);
    const check = e.requests.find((q) => q.route === 'builds.list' && q.query.$top === '1')!;
    assert.equal(check.query.branchName, 'refs/heads/main');
  });

  it('only warns when the one run to check against is another branch\'s, and waits for the stage', async () => {
    const e = await start({
      projects: [shop([{ id: 251, definition: 'api', buildNumber: '1.0.251', sourceBranch: 'refs/heads/release/1.0', sourceVersion: 'bbbb000000000000000000000000000000000001', stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Deploy', result: 'succeeded' }] }])],
      behaviour: { queuedRunMs: 2_000 },
    });
    const waiting = task(e, { dependencies: 'api@Prod' });
    // main's run is queued 5 s after the task's first check, once the stage name was checked against release/1.0's
    // run: at a fixed time, a task process that a loaded machine started late checked against main's run instead.
    const checks = () => e.requests.filter((q) => q.route === 'builds.list' && !q.query.$top && !q.query.buildIds);
    await waitFor(() => checks().length > 0, 20_000, 'the first check');
    e.state.schedule({ at: checks()[0].time + 5_000, queueBuild: { id: 252, definition: 'api', project: 'Shop', sourceBranch: 'refs/heads/main', sourceVersion: commit } });
    const r = await waiting.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(r.warnings, [
      "Stage 'Prod' is not in the last run of pipeline 'api' (#1.0.251, on refs/heads/release/1.0; its stages: Build, Deploy). That run is not of this run's branch refs/heads/main, which may have the stage: waiting for it unchecked.",
    ]);
  });

  it('still fails at once on a stage its own branch\'s last run does not have', async () => {
    const e = await start({ projects: [shop([run(261, { Build: 'succeeded', Prod: 'succeeded' }, { status: 'completed', result: 'succeeded' })])] });
    const r = await task(e, { dependencies: 'api@Deploy' }).done;
    assert.equal(r.result.status, 'Failed');
    assert.match(r.result.message, /^Stage 'Deploy' not found in pipeline 'api'\. Stages in its last run \(#2\.3\.261\): Build, Prod \(Production\)\.$/);
  });
});
