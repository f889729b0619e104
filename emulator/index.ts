/**
 * The Azure DevOps REST emulator: a real HTTP server on 127.0.0.1 that answers the routes
 * azure-devops-node-api 17 uses, for the collection host (dev.azure.com/{org}) and the release host
 * (vsrm.dev.azure.com/{org}), from a scenario. See emulator/README.md.
 */
import { Auth } from './auth';
import { ScenarioClock, scaledNow } from './clock';
import { Faults } from './faults';
import { Urls } from './render/urls';
import type { RequestLogEntry } from './request-log';
import { DEFAULT_TOKEN, type Scenario } from './scenario';
import { EmulatorServer } from './server';
import { loadScenario } from './world/load';
import type { EmulatorState } from './world/world';

export type { RequestLogEntry } from './request-log';
export type { FaultRule, FaultKind } from './faults';
export { Faults } from './faults';
export type { EmulatorState } from './world/world';
export type * from './scenario';
export type * from './world/model';
export { DEFAULT_TOKEN, DEFAULT_BEHAVIOUR } from './scenario';

export interface EmulatorOptions {
  scenario: Scenario;
  /** 1 = real time (default); 20 = scenario times run 20x faster. */
  timeScale?: number;
  /** Default 0 (any free port). */
  port?: number;
  /** Called after each request is answered (the standalone process logs with it). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:PORT/lockstep */
  readonly collectionUrl: string;
  /** e.g. http://127.0.0.1:PORT/vsrm/lockstep (what ResourceAreas announces for Release) */
  readonly releaseUrl: string;
  /** The valid token. */
  readonly token: string;
  /** Every request in order. */
  readonly requests: RequestLogEntry[];
  clearLog(): void;
  readonly faults: Faults;
  /** The emulated world; reads apply the changes that are due. */
  readonly state: EmulatorState;
  /** Scenario time since start (scaled). */
  elapsedMs(): number;
  /** The date (ms since the epoch) of scenario time 0: dates on the wire are this plus scenario time. */
  readonly epochMs: number;
  close(): Promise<void>;
}

// Scheduled changes are applied lazily on every read; this timer also applies them while nobody
// reads, so objects a test holds on to move on their own.
const WAKE_MS = 20;

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const { scenario } = options;
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`Emulator: timeScale must be a positive number, not ${timeScale}.`);
  const epoch = scenario.startDate ? Date.parse(scenario.startDate) : scaledNow(timeScale);
  if (Number.isNaN(epoch)) throw new Error(`Emulator: scenario.startDate '${scenario.startDate}' is not a date.`);
  const clock = new ScenarioClock(timeScale, epoch);
  const world = loadScenario(scenario, clock);
  const faults = new Faults();
  for (const rule of scenario.faults ?? []) faults.add(rule);
  const token = scenario.token ?? DEFAULT_TOKEN;
  const log: RequestLogEntry[] = [];
  const server = new EmulatorServer({
    world, faults, auth: new Auth(token, scenario.auth?.failAfterRequests), log, onRequest: options.onRequest,
  });
  const port = await server.listen(options.port ?? 0);
  const base = `http://127.0.0.1:${port}`;
  const urls = new Urls(`${base}/${world.organization}`, `${base}/vsrm/${world.organization}`);
  server.setUrls(urls);
  const wake = setInterval(() => world.catchUp(), WAKE_MS);
  wake.unref();

  return {
    collectionUrl: urls.collectionUrl,
    releaseUrl: urls.releaseUrl,
    token,
    requests: log,
    clearLog: () => {
      log.length = 0;
    },
    faults,
    get state() {
      world.catchUp();
      return world;
    },
    elapsedMs: () => clock.elapsedMs(),
    epochMs: clock.epochMs,
    close: async () => {
      clearInterval(wake);
      await server.close();
    },
  };
}
