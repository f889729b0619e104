import type { Emulator } from '../../emulator';
import { FetchSource } from '../../src/snapshot/fetch-source';
import { readTrain } from '../../src/snapshot/read-train';
import type { TrainSnapshot } from '../../src/snapshot/train-snapshot';

/** The train view's reader as the page runs it: FetchSource over Node 20's fetch, against the emulator over HTTP. */
export function viewSource(e: Emulator, token: string): FetchSource {
  return new FetchSource({ collectionUrl: e.collectionUrl, releaseUrl: e.releaseUrl, token, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) });
}

/** One read of the train of a YAML run (or a classic release) in Shop, with the requests it made on the emulator's log. */
export async function readTrainOf(e: Emulator, token: string, id: number, kind: 'build' | 'release' = 'build', project = 'Shop'): Promise<{ snapshot: TrainSnapshot; routes: string[]; ms: number }> {
  const from = e.requests.length;
  const started = performance.now();
  const snapshot = await readTrain(viewSource(e, token), { kind, project, id });
  const ms = performance.now() - started;
  // The view asks for api-version 7.1 in the query; the tasks' client asks in the Accept header for 7.2 previews.
  return { snapshot, routes: e.requests.slice(from).filter((q) => q.apiVersion === '7.1').map((q) => q.route), ms };
}

/** A member of a snapshot by its label. */
export function member(snapshot: TrainSnapshot, label: string) {
  const m = snapshot.members.find((x) => x.label === label);
  if (!m) throw new Error(`no member ${label} among ${snapshot.members.map((x) => x.label).join(', ')}`);
  return m;
}
