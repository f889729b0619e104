import * as assert from 'node:assert/strict';
import { DeploymentReason, DeploymentStatus, EnvironmentStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { startEmulator } from '../../emulator';
import type { Scenario } from '../../emulator/scenario';
import { shopScenario, webApi, withEmulator } from './support';

/** The shop with release 31's Production in its second deployment attempt (a redeploy), QA rejected beside it. */
function redeployed(): Scenario {
  const scenario = shopScenario();
  scenario.projects[0].releaseDefinitions![0].environments = ['QA', 'Staging', 'Production'];
  scenario.projects[0].releases![0].environments = [
    { name: 'QA', status: 'rejected' },
    { name: 'Staging', status: 'succeeded' },
    { name: 'Production', status: 'inProgress', attempt: 2 },
  ];
  return scenario;
}

describe('emulator: release environments keep one deploy step per deployment attempt', () => {
  it('fabricates the earlier attempts of an environment given as attempt n, each a succeeded deploy step, the last a redeploy', () => withEmulator(async (em) => {
    const api = await webApi(em).getReleaseApi();
    const production = (await api.getRelease('Shop', 31)).environments!.find((e) => e.name === 'Production')!;
    assert.equal(production.status, EnvironmentStatus.InProgress);
    assert.deepEqual(production.deploySteps!.map((s) => [s.attempt, s.status, s.reason]), [
      [1, DeploymentStatus.Succeeded, DeploymentReason.Automated],
      [2, DeploymentStatus.InProgress, DeploymentReason.RedeployTrigger],
    ]);
    const qa = (await api.getRelease('Shop', 31)).environments!.find((e) => e.name === 'QA')!;
    assert.deepEqual([qa.status, qa.deploySteps!.map((s) => s.attempt)], [EnvironmentStatus.Rejected, [1]]);
  }, { scenario: redeployed() }));

  it('starts a new attempt when a finished environment deploys again (an event, as a person redeploying)', async () => {
    const scenario = shopScenario();
    scenario.events = [{ at: 0, release: 30, environment: 'Production', status: 'inProgress' }];
    const em = await startEmulator({ scenario, timeScale: 1 });
    try {
      const steps = em.state.environment(30, 'Production')!.deploySteps;
      assert.deepEqual(steps.map((s) => [s.attempt, s.status]), [[1, 'succeeded'], [2, 'inProgress']]);
    } finally {
      await em.close();
    }
  });

  it('refuses an attempt for an environment never deployed, or one that is not a whole number', async () => {
    for (const [environment, message] of [
      [{ name: 'Production', attempt: 2 }, "Scenario: release 31: environment 'Production' has attempt 2 but was never deployed (status notStarted)."],
      [{ name: 'Production', status: 'succeeded' as const, attempt: 0 }, "Scenario: release 31: environment 'Production' has attempt 0; expected a whole number, 1 or more."],
    ] as const) {
      const scenario = shopScenario();
      scenario.projects[0].releases![0].environments = [environment];
      await assert.rejects(startEmulator({ scenario }), (e: Error) => e.message === message);
    }
  });
});
