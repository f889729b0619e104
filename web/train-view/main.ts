import * as SDK from 'azure-devops-extension-sdk';
import { messageOf } from './render-train';
import { serviceUrls } from './host-services';
import { HostToken } from './host-token';
import { openHub } from './hub';
import { trainReader, viewSource } from './read';
import { Refresher } from './refresher';
import { findSurface, RunSurface, Surface } from './surface';
import { scaledTimers, timeSettingsFrom } from './timing';
import { createView, View } from './view';

/**
 * The train view's composition root: the SDK handshake, which surface it is on (a run's tab, a release's tab, the
 * hub), the token and REST locations from the host, then the refresher that reads the train and draws it.
 * Whatever fails shows as a line on the page and tells the host the load failed — never a blank frame.
 */

/** How long the host has to answer the handshake before the page says it is not inside Azure DevOps. */
const HANDSHAKE_WAIT_MS = 15_000;

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  const timers = scaledTimers(timeSettingsFrom(location.search, Date.now()));
  let refresher: Refresher | undefined;
  const view = loadNotifying(createView(root, timers.now, () => refresher?.refreshNow()));

  const handshake = SDK.init({ loaded: false, applyTheme: true }).then(() => SDK.ready());
  if (!(await answeredWithin(handshake, HANDSHAKE_WAIT_MS))) {
    view.fatal("No Azure DevOps page answered. This view runs inside Azure DevOps: a run's Release train tab, the Release trains hub under Pipelines, or a classic release's Release train tab.");
    return;
  }

  try {
    const urls = await serviceUrls();
    const token = new HostToken(() => SDK.getAccessToken());
    const source = viewSource(urls, token);
    // The host may show another run or release in the same frame later: read that one at once.
    let surface: RunSurface | undefined;
    const found: Surface = await findSurface((changed) => {
      if (changed.kind === 'hub') return;
      surface = changed;
      refresher?.refreshNow();
    });
    surface = found.kind === 'hub' ? await openHub(found.project, source, view, timers) : found;
    const chosen = surface;
    const read = trainReader(source, token, () => surface ?? chosen);
    refresher = new Refresher(read, view, timers, documentVisibility());
    refresher.start();
  } catch (error) {
    view.fatal(messageOf(error));
    await SDK.notifyLoadFailed(messageOf(error));
  }
}

/**
 * Tells the host the page has loaded (it shows its own spinner until then) once there is something to see: the
 * first read shown or failed, or the hub's question which train to show.
 */
function loadNotifying(view: View): View {
  let told = false;
  const tell = () => {
    if (!told) void SDK.notifyLoadSucceeded();
    told = true;
  };
  return {
    ...view,
    show(snapshot, readAtMs) {
      view.show(snapshot, readAtMs);
      tell();
    },
    error(text) {
      view.error(text);
      if (text) tell();
    },
    prompt(form) {
      view.prompt(form);
      tell();
    },
  };
}

function documentVisibility() {
  return {
    hidden: () => document.hidden,
    onChange: (listener: () => void) => document.addEventListener('visibilitychange', listener),
  };
}

function answeredWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

void main();
