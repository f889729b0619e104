/**
 * `npm start`: the main job on the embedded emulator. Starts the Azure DevOps emulator with a sample
 * release train and runs the core's wait against it through the real azure-devops-node-api client.
 */
import { startEmulator } from '../emulator';
import { consoleHost } from '../src/console-host';
import { openApi } from '../src/open-api';
import { defaultPollPolicy } from '../src/polling/poll-policy';
import { waitForDependencies } from '../src/polling/wait-for-dependencies';
import { sampleTrain, trainCommit } from './demo-scenario';

async function main(): Promise<number> {
  const emulator = await startEmulator({ scenario: sampleTrain });
  console.log(`Azure DevOps emulator on ${emulator.collectionUrl} (release host ${emulator.releaseUrl})`);
  console.log(`web's pipeline waits for db-migrations@Deploy_Prod, api@Prod and the classic release "Legacy Web"@Production of commit ${trainCommit.slice(0, 7)}\n`);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort(new Error('canceled')));
  const { host, summaries, outputs } = consoleHost({ prefix: '  [web] ', signal: abort.signal });
  try {
    const api = await openApi({ collectionUrl: emulator.collectionUrl, token: emulator.token }, host);
    const outcome = await waitForDependencies(
      {
        dependencies: ['db-migrations@Deploy_Prod', 'api@Prod', 'release:Legacy Web@Production'].join('\n'),
        match: { mode: 'sameCommit', commit: trainCommit },
        acceptPartiallySucceeded: false,
        onDependencyFailure: 'fail',
        onTimeout: 'fail',
        project: 'Shop',
        poll: { ...defaultPollPolicy, intervalMs: 1_000, timeoutMs: 60_000 },
      },
      api,
      host,
    );
    console.log(`\n${summaries.at(-1)?.markdown ?? ''}`);
    console.log(`outputs: waitedSeconds=${outputs.waitedSeconds}`);
    console.log(`requests the wait made to the emulator: ${emulator.requests.length}`);
    console.log(`result: ${outcome.result}${outcome.message ? ` — ${outcome.message}` : ''}`);
    return outcome.result === 'Failed' ? 1 : 0;
  } finally {
    await emulator.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
