import { Emulator, startEmulator } from '../../emulator';
import type { Scenario } from '../../emulator/scenario';

/**
 * Call inside a describe: returns `start(scenario)`, which starts a fresh emulator for the current test
 * (policy time `timeScale` times faster) and closes it after the test, whatever happened.
 */
export function emulatorPerTest(timeScale = 1): (scenario: Scenario) => Promise<Emulator> {
  let current: Emulator | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (scenario) => (current = await startEmulator({ scenario, timeScale }));
}
