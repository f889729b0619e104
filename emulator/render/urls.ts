/**
 * URLs the answers carry (`url`, `_links`), pointing at the emulator the way the service's point at
 * dev.azure.com and vsrm.dev.azure.com: API links by project id, web links for people.
 */
export class Urls {
  constructor(
    /** e.g. http://127.0.0.1:PORT/lockstep */
    readonly collectionUrl: string,
    /** e.g. http://127.0.0.1:PORT/vsrm/lockstep */
    readonly releaseUrl: string,
  ) {}

  /** A collection-host API URL: `{collection}/{project}/_apis/{rest}`. */
  api(projectId: string, rest: string): string {
    return `${this.collectionUrl}/${projectId}/_apis/${rest}`;
  }

  /** A collection-level API URL: `{collection}/_apis/{rest}`. */
  collectionApi(rest: string): string {
    return `${this.collectionUrl}/_apis/${rest}`;
  }

  /** A web page URL on the collection host. */
  web(projectId: string, rest: string): string {
    return `${this.collectionUrl}/${projectId}/${rest}`;
  }

  /** A release-host API URL: `{release}/{project}/_apis/Release/{rest}`. */
  release(projectId: string, rest: string): string {
    return `${this.releaseUrl}/${projectId}/_apis/Release/${rest}`;
  }
}

export function link(href: string): { href: string } {
  return { href };
}
