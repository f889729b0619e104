/**
 * `npm start`: the main job on the embedded emulator. A release train of three YAML pipelines and a classic release
 * runs against the local Azure DevOps emulator; every Lockstep step is the real bundled task, run as the agent runs
 * it. `npm start -- --scenario <name>` picks another story; `npm start -- --help` lists them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator } from '../../emulator';
import type { BuildInput, Scenario } from '../../emulator/scenario';
import { LiveView, clock } from './live-view';
import { serveTrainView } from './train-view-server';
import { MemberIds, MemberState, playMember } from './member-pipeline';
import { scenarios } from './scenarios';
import { DemoScenario, MemberScript } from './train-script';

/** Policy time runs this much faster than the clock: a 15 s poll takes 1.5 s, a 30 s deployment 3 s. */
const SCALE = 10;
const train = { commit: '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39', version: '2.3.0' };
const previous = { commit: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d', version: '2.2.0' };
const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lockstep-demo.c2lnbmF0dXJl';

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return help();
  const name = args[args.indexOf('--scenario') + 1] && args.includes('--scenario') ? args[args.indexOf('--scenario') + 1] : 'rollback';
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) {
    console.error(`Unknown scenario '${name}'. Scenarios: ${scenarios.map((s) => s.name).join(', ')}.`);
    return 2;
  }

  const { world, ids } = emulatedWorld(scenario);
  const emulator = await startEmulator({ scenario: world, timeScale: SCALE });
  const firstYaml = scenario.members.find((m) => m.kind === 'yaml');
  const trainView = await serveTrainView(emulator, SCALE, train.commit, ids.get(firstYaml!.name)!.runId);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  console.log(`Watch the train live in a browser: ${trainView.hubUrl}`);
  console.log(`  (${firstYaml!.name}'s run, its "Release train" tab: ${trainView.runUrl})\n`);
  console.log(`Lockstep demo · scenario '${scenario.name}': ${scenario.summary}`);
  console.log(`Azure DevOps emulator on ${emulator.collectionUrl}; train ${train.version} (commit ${train.commit.slice(0, 7)}); time runs ${SCALE}x faster.\n`);

  const startedAt = Date.now();
  const states: MemberState[] = scenario.members.map((member) => ({ member, stage: '—', status: 'queued', detail: '', startedAt, outcome: { stages: {}, tasks: [] } }));
  const view = new LiveView(states, startedAt, SCALE);
  const ticker = setInterval(() => view.render(), process.stdout.isTTY ? 200 : 100);
  try {
    // A member that hangs (the timeout story) is given up once every other member has finished.
    const giveUp = new AbortController();
    const hangs = (m: MemberScript) => m.stages.some((st) => st.steps.some((step) => 'hang' in step));
    const play = (state: MemberState) => playMember(state.member, ids.get(state.member.name)!, { emulator, train, scale: SCALE, token, stop: stop.signal, giveUp: giveUp.signal }, state);
    const hanging = states.filter((st) => hangs(st.member)).map(play);
    await Promise.all(states.filter((st) => !hangs(st.member)).map(play));
    giveUp.abort();
    await Promise.all(hanging);
  } finally {
    clearInterval(ticker);
    view.render();
    if (args.includes('--stay') && !stop.signal.aborted) {
      console.log(`\nThe train view stays at ${trainView.hubUrl} — press Ctrl+C to stop.`);
      await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
    }
    await trainView.close();
    await emulator.close();
  }
  const wallMs = Date.now() - startedAt;
  const outcome = Object.fromEntries(states.map((st) => [st.member.name, st.outcome]));
  printSummary(states);
  const recordDir = args.includes('--record') ? args[args.indexOf('--record') + 1] : undefined;
  if (recordDir) record(recordDir, view.busiest, view.snapshot(), states);
  const problem = stop.signal.aborted ? 'canceled' : scenario.expect(outcome);
  console.log(`\n${problem ? `✖ The scenario did not go as expected: ${problem}` : '✔ The scenario went as expected.'} Wall time ${clock(wallMs)} (${(wallMs / 1000).toFixed(1)} s); ${requestCount(emulator.requests)}.`);
  return problem ? 1 : 0;
}

/** The organization the train runs in: the pipelines, their previous good version, and the train's runs, not started yet. */
function emulatedWorld(scenario: DemoScenario): { world: Scenario; ids: Map<string, MemberIds> } {
  const ids = new Map<string, MemberIds>();
  const yaml = scenario.members.filter((m) => m.kind === 'yaml');
  const classic = scenario.members.filter((m) => m.kind === 'release');
  const builds: BuildInput[] = [];
  yaml.forEach((m, i) => {
    const definitionId = 11 + i;
    ids.set(m.name, { definitionId, runId: 200 + definitionId });
    const stages = m.stages.map((st) => st.name);
    const previousStages = stages.map((identifier) => ({ identifier, state: 'completed' as const, result: identifier === 'Rollback' ? ('skipped' as const) : ('succeeded' as const) }));
    builds.push({ id: 100 + definitionId, definition: m.name, buildNumber: previous.version, sourceVersion: previous.commit, sourceBranch: 'refs/heads/main', queueTime: -86_400_000, stages: previousStages });
    builds.push({ id: 200 + definitionId, definition: m.name, buildNumber: train.version, sourceVersion: train.commit, sourceBranch: 'refs/heads/main', status: 'inProgress', queueTime: -1_000, stages: stages.map((identifier) => ({ identifier, state: 'pending' as const })) });
  });
  classic.forEach((m, i) => ids.set(m.name, { definitionId: 3 + i, releaseDefinitionId: 3 + i, runId: 31 + i * 10 }));
  const environments = (m: MemberScript) => m.stages.map((st) => st.name);
  return {
    ids,
    world: {
      token,
      behaviour: { stageRetryMs: 30_000, redeployMs: 30_000, cancelMs: 5_000 },
      projects: [
        {
          name: 'Shop',
          buildDefinitions: yaml.map((m, i) => ({ id: 11 + i, name: m.name, stages: m.stages.map((st) => st.name) })),
          builds,
          releaseDefinitions: classic.map((m, i) => ({ id: 3 + i, name: m.name, environments: environments(m) })),
          releases: classic.flatMap((m, i) => [
            { id: 30 + i * 10, definition: m.name, name: `Release-${30 + i * 10}`, createdOn: -86_400_000, artifacts: [{ alias: '_legacy', isPrimary: true, sourceVersion: previous.commit, buildNumber: previous.version }], environments: environments(m).map((name) => ({ name, status: 'succeeded' as const })) },
            { id: 31 + i * 10, definition: m.name, name: `Release-${31 + i * 10}`, artifacts: [{ alias: '_legacy', isPrimary: true, sourceVersion: train.commit, buildNumber: train.version }], environments: environments(m).map((name) => ({ name, status: 'notStarted' as const })) },
          ]),
        },
      ],
      faults: scenario.faults as Scenario['faults'],
    },
  };
}

function printSummary(states: MemberState[]): void {
  console.log('\nSummary');
  for (const st of states) {
    const stages = Object.entries(st.outcome.stages).map(([name, result]) => `${name} ${result === 'succeeded' ? '✔' : result === 'failed' ? '✖' : '–'}`).join('  ');
    console.log(`  ${(st.member.kind === 'release' ? 'release:' : '') + st.member.name}`.padEnd(24) + stages);
    for (const t of st.outcome.tasks) console.log(`      ${t.stage}: ${t.task} ${t.status}${t.message ? ` — ${t.message}` : ''}`);
  }
  const rollback = states.flatMap((st) => st.outcome.tasks).find((t) => t.task === 'coordinated-rollback');
  if (rollback?.summary) console.log(`\n${rollback.summary}`);
}

/** "281 requests to the emulator", and how many it refused (429, 5xx), when it did. */
function requestCount(requests: Array<{ status: number }>): string {
  const refused = new Map<number, number>();
  for (const r of requests) if (r.status === 429 || r.status >= 500) refused.set(r.status, (refused.get(r.status) ?? 0) + 1);
  const detail = [...refused].map(([status, n]) => `${n} answered ${status}`).join(', ');
  return `${requests.length} requests to the emulator${detail ? ` (${detail})` : ''}`;
}

/** --record <dir>: the final board and every task's summary tab, for the pictures of the Marketplace page. */
function record(dir: string, busiest: string[], final: string[], states: MemberState[]): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'board-busiest.txt'), `${busiest.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'board-final.txt'), `${final.join('\n')}\n`);
  for (const st of states) {
    st.outcome.tasks.forEach((t, i) => {
      if (t.summary) fs.writeFileSync(path.join(dir, `${st.member.name.replace(/\W+/g, '-')}-${t.task}-${i}.md`), t.summary);
    });
  }
}

function help(): number {
  console.log('Usage: npm start [-- --scenario <name>] [--record <dir>] [--stay]\n\nRuns a release train on the embedded Azure DevOps emulator with the real bundled tasks, and serves the live train view\n(the extension\'s page in a stand-in for Azure DevOps) at the URL it prints first; --stay keeps serving it after the\ntrain has finished, until Ctrl+C.\n\nScenarios:');
  for (const s of scenarios) console.log(`  ${s.name.padEnd(11)} ${s.summary}${s.name === 'rollback' ? ' (default)' : ''}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
