/** How the core reaches Azure DevOps. */
export interface ConnectionSettings {
  /** The organization (collection) URL, e.g. https://dev.azure.com/fabrikam/. */
  collectionUrl: string;
  /** The job's OAuth token, or a service connection's personal access token. Registered as a secret by the host. */
  token: string;
  /** The service connection's name when the token is not the job's own; named in permission errors. */
  connectionName?: string;
  /** The agent's proxy, when it has one. */
  proxy?: { proxyUrl: string; proxyUsername?: string; proxyPassword?: string; proxyBypassHosts?: string[] };
}
