import * as SDK from 'azure-devops-extension-sdk';

/**
 * Where the page is shown, from the contribution that loaded it (the id ends with the contribution's own id in
 * vss-extension.json) and what the host put in its configuration:
 * - the tab on a run's results page: the run from `onBuildChanged(build => …)`;
 * - the tab on a classic release: the release from `onReleaseChanged(release => …)`;
 * - the "Release trains" hub: the project from the web context, the run in the host page's query string.
 */
export type Surface =
  | { kind: 'build'; project: string; id: number }
  | { kind: 'release'; project: string; id: number }
  | { kind: 'hub'; project: string };

/** A surface that names the run to start from. */
export type RunSurface = Exclude<Surface, { kind: 'hub' }>;

type Listener = (surface: Surface) => void;

/**
 * Resolves with the first surface; later changes (the host shows another run or release in the same frame) go to
 * `changed`.
 */
export function findSurface(changed: Listener): Promise<Surface> {
  const configuration = SDK.getConfiguration();
  const contribution = SDK.getContributionId();
  const project = SDK.getWebContext()?.project?.name ?? '';
  const wants = (suffix: string, callback: string) => contribution.endsWith(`.${suffix}`) || typeof configuration[callback] === 'function';

  if (wants('train-run-tab', 'onBuildChanged')) {
    return fromCallback(configuration, 'onBuildChanged', changed, (build: { id: number; project?: { name?: string } }) => ({
      kind: 'build',
      project: build.project?.name ?? project,
      id: build.id,
    }));
  }
  if (wants('train-release-tab', 'onReleaseChanged')) {
    return fromCallback(configuration, 'onReleaseChanged', changed, (release: { id: number; projectReference?: { name?: string } }) => ({
      kind: 'release',
      project: release.projectReference?.name ?? project,
      id: release.id,
    }));
  }
  return Promise.resolve({ kind: 'hub', project });
}

function fromCallback<T>(configuration: Record<string, unknown>, name: string, changed: Listener, toSurface: (value: T) => Surface): Promise<Surface> {
  const register = configuration[name];
  if (typeof register !== 'function') {
    return Promise.reject(new Error(`The host gave this tab no ${name}; it cannot tell which run to show.`));
  }
  return new Promise((resolve) => {
    let first = true;
    register((value: T) => {
      const surface = toSurface(value);
      if (first) resolve(surface);
      else changed(surface);
      first = false;
    });
  });
}
