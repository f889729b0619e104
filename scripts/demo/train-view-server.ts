/**
 * The live train view during `npm start`: the packaged page (dist/web, as the .vsix ships it) inside the stand-in for
 * the Azure DevOps page that hosts it (emulator/web-host), reading the demo's emulator over HTTP as it would read
 * Azure DevOps. The page's clock runs as fast as the demo's, so a refresh comes every 12 s of demo time.
 */
import * as path from 'node:path';
import type { Emulator } from '../../emulator';
import { startWebHost, type WebHost } from '../../emulator/web-host';

const root = path.resolve(__dirname, '..', '..', '..');
const page = 'web/train-view/train-view.html';

export interface TrainViewServer {
  /** The Release trains hub, with the demo's train chosen. */
  hubUrl: string;
  /** A train run's tab (the Pipelines run page's "Release train" tab). */
  runUrl: string;
  close(): Promise<void>;
}

export async function serveTrainView(emulator: Emulator, scale: number, train: string, runId: number): Promise<TrainViewServer> {
  const host: WebHost = await startWebHost({
    contentDir: path.join(root, 'dist'),
    page: `${page}?timeScale=${scale}&timeOrigin=${emulator.epochMs}`,
    collectionUrl: emulator.collectionUrl,
    releaseUrl: emulator.releaseUrl,
    token: emulator.token,
  });
  return {
    hubUrl: host.hostUrl({ surface: 'hub', project: 'Shop', query: { train } }),
    runUrl: host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: runId }),
    close: () => host.close(),
  };
}
