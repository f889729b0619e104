import * as SDK from 'azure-devops-extension-sdk';

/**
 * The host's services the page uses, typed here (azure-devops-extension-api would bring its REST clients along for
 * two interfaces): where the build and release REST areas live, and the query string of the host page's URL.
 */
interface LocationService {
  getResourceAreaLocation(resourceAreaId: string): Promise<string>;
}

interface HostNavigationService {
  getQueryParams(): Promise<{ [key: string]: string }>;
  setQueryParams(parameters: { [key: string]: string }): void;
}

/** Resource area ids of the REST areas the view reads. */
export const BUILD_AREA = '5d6898bb-45ec-463f-95f9-54d49c71752e';
export const RELEASE_AREA = 'efc2f575-36ef-48e9-b672-0c6fb4a48ac5';

export interface ServiceUrls {
  /** The build area's root (https://dev.azure.com/org/). */
  build: string;
  /** The release area's root (https://vsrm.dev.azure.com/org/); undefined where the host has none. */
  release?: string;
}

export async function serviceUrls(): Promise<ServiceUrls> {
  const locations = await SDK.getService<LocationService>('ms.vss-features.location-service');
  const build = await locations.getResourceAreaLocation(BUILD_AREA);
  // An organization without classic releases (or a server without Release Management) still shows YAML trains.
  const release = await locations.getResourceAreaLocation(RELEASE_AREA).catch(() => undefined);
  return { build, release: release || undefined };
}

export async function navigation(): Promise<HostNavigationService> {
  return SDK.getService<HostNavigationService>('ms.vss-features.host-navigation-service');
}
