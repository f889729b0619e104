import { Emulator, startEmulator } from '../../emulator';
import type { Scenario } from '../../emulator/scenario';

/**
 * Call inside a describe: returns `start(scenario)`, which starts a fresh emulator for the current test
 * (policy time `timeScale` times faster) and closes it after the test, whatever happened — every one the test
 * started, when it compares two worlds side by side.
 */
export function emulatorPerTest(timeScale = 1): (scenario: Scenario) => Promise<Emulator> {
  const started: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((e) => e.close()));
  });
  return async (scenario) => {
    const emulator = await startEmulator({ scenario, timeScale });
    started.push(emulator);
    return emulator;
  };
}
