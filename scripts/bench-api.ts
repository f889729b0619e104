import * as azdev from 'azure-devops-node-api';
import { BuildQueryOrder } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { startEmulator, type RequestLogEntry } from '../emulator';
import { harnessRun } from '../emulator/agent/agent-harness';
import { benchToken, currentRun, serviceNames, shopScenario, waitTask } from './bench-scenarios';
import { median } from './bench-stats';

/** Polls in one waiting hour at the default 15 s interval. */
export const POLLS_PER_HOUR = 3600 / 15;

export interface RequestCounts {
  /** Before the first poll: connection, resolving the references, publishing what the run waits for. */
  startup: number;
  /** Median requests of one poll, from the second on. */
  perPoll: number;
  /** After the last poll's own requests (withdrawing what the run waits for). */
  cleanup: number;
  /** startup + cleanup + perPoll × 240 polls. */
  perHour: number;
}

export interface EconomyRow {
  dependencies: number;
  stages: boolean;
  lockstep: RequestCounts;
  /** One request per dependency per poll (plus its timeline with a stage), through the real client. */
  baseline: RequestCounts;
}

/**
 * API economy: every dependency a running YAML run in one project (with stage conditions: its Prod stage running),
 * so each poll reads everything it would while waiting. The bundled task polls at the default 15 s for two policy
 * minutes; the baseline does what a task polling each dependency on its own does, against its own emulator.
 */
export async function measureApiEconomy(sizes: number[]): Promise<EconomyRow[]> {
  const rows: EconomyRow[] = [];
  for (const dependencies of sizes) {
    for (const stages of [false, true]) {
      rows.push({ dependencies, stages, lockstep: await lockstepCounts(dependencies, stages), baseline: await baselineCounts(dependencies, stages) });
    }
  }
  return rows;
}

async function lockstepCounts(n: number, stages: boolean): Promise<RequestCounts> {
  const scale = 60;
  const names = serviceNames(n);
  const e = await startEmulator({ scenario: shopScenario(names, names.map((name, i) => currentRun(200 + i, name))), timeScale: scale });
  try {
    const inputs = { dependencies: names.map((name) => (stages ? `${name}@Prod` : name)).join('\n'), timeoutMinutes: '2', onTimeout: 'succeedWithIssues' };
    const r = await waitTask(e.collectionUrl, inputs, scale).done;
    if (r.result.status !== 'SucceededWithIssues') throw new Error(`API economy: the wait ended ${r.result.status}: ${r.result.message}`);
    return countPolls(e.requests, (q) => q.route === 'builds.list' && (q.query.definitions ?? '').split(',').length === n && !q.query.$top);
  } finally {
    await e.close();
  }
}

/** Splits a request log at each poll's first request. */
function countPolls(log: RequestLogEntry[], isPollStart: (q: RequestLogEntry) => boolean): RequestCounts {
  const starts = log.flatMap((q, i) => (isPollStart(q) ? [i] : []));
  if (starts.length < 3) throw new Error(`API economy: only ${starts.length} polls seen`);
  const perPoll = median(starts.slice(1).map((at, i) => at - starts[i]).slice(1));
  const startup = starts[0];
  const cleanup = Math.max(0, log.length - starts.at(-1)! - perPoll);
  return { startup, perPoll, cleanup, perHour: Math.round(startup + cleanup + perPoll * POLLS_PER_HOUR) };
}

/**
 * What a task that reads each dependency on its own does, with the real azure-devops-node-api client: finds each
 * pipeline by name once, then per poll asks for each one's latest run — and, for a stage condition, that run's
 * timeline. Three polls, counted in the emulator's log.
 */
async function baselineCounts(n: number, stages: boolean): Promise<RequestCounts> {
  const names = serviceNames(n);
  const e = await startEmulator({ scenario: shopScenario(names, names.map((name, i) => currentRun(200 + i, name))) });
  try {
    const web = new azdev.WebApi(e.collectionUrl, azdev.getHandlerFromToken(benchToken));
    const build = await web.getBuildApi();
    const project = harnessRun.project;
    const ids = await Promise.all(names.map(async (name) => (await build.getDefinitions(project, name))[0].id!));
    const startup = e.requests.length;
    const polls = 3;
    for (let poll = 0; poll < polls; poll++) {
      for (const id of ids) {
        const [latest] = await build.getBuilds(project, [id], undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 1, undefined, undefined, undefined, BuildQueryOrder.QueueTimeDescending);
        if (stages && latest) await build.getBuildTimeline(project, latest.id!);
      }
    }
    const perPoll = (e.requests.length - startup) / polls;
    return { startup, perPoll, cleanup: 0, perHour: Math.round(startup + perPoll * POLLS_PER_HOUR) };
  } finally {
    await e.close();
  }
}
