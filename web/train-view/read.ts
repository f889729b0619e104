import { FetchSource } from '../../src/snapshot/fetch-source';
import type { Origin } from '../../src/snapshot/origin';
import { readTrain } from '../../src/snapshot/read-train';
import type { TrainSnapshot } from '../../src/snapshot/train-snapshot';
import type { ServiceUrls } from './host-services';
import type { HostToken } from './host-token';
import { statusOf } from './refresher';
import type { RunSurface } from './surface';

/** The service as the page reads it: src/snapshot's FetchSource with the user's token from the host. */
export function viewSource(urls: ServiceUrls, token: HostToken): FetchSource {
  // Without a release area (a server without Release Management) release reads fail into notices, as on any 404.
  return new FetchSource({ collectionUrl: urls.build, releaseUrl: urls.release ?? urls.build, token: () => token.get() });
}

/**
 * One read of the train for the refresher: readTrain (src/snapshot — the same mark and record readers the tasks
 * use). A 401 means the token expired early: drop it, ask the host for a new one and read once more.
 */
export function trainReader(source: FetchSource, token: HostToken, surface: () => RunSurface): () => Promise<TrainSnapshot> {
  return async () => {
    const origin: Origin = { kind: surface().kind, project: surface().project, id: surface().id };
    try {
      return await readTrain(source, origin);
    } catch (error) {
      if (statusOf(error) !== 401) throw error;
      token.invalidate();
      return readTrain(source, origin);
    }
  };
}
