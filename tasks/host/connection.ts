import * as tl from 'azure-pipelines-task-lib/task';
import { LockstepError } from '../../src/errors';
import type { ConnectionSettings } from '../../src/connection/connection-settings';
import { hostText } from './localize';

/** The endpoint the agent always gives a job: this organization, with the job's OAuth token. */
const JOB_ENDPOINT = 'SYSTEMVSSCONNECTION';

/**
 * Reads the connection the task's inputs ask for: the service connection named by `connectionInput` when that input
 * is set (another organization), otherwise the job's own token for this organization. Every token is registered
 * with the agent as a secret the moment it is read, before anything else could print it.
 */
export function readConnection(connectionInput = 'connection'): ConnectionSettings {
  const endpointId = tl.getInput(connectionInput, false)?.trim();
  const settings = endpointId ? readServiceConnection(endpointId) : readJobConnection();
  const proxy = agentProxy();
  return proxy ? { ...settings, proxy } : settings;
}

function readJobConnection(): ConnectionSettings {
  // Not getEndpointAuthorizationParameter: with system.debug=true it prints the token it returns.
  const token = tl.getEndpointAuthorization(JOB_ENDPOINT, true)?.parameters?.['AccessToken'];
  if (!token) throw new LockstepError('Error_NoToken', []);
  tl.setSecret(token);
  const collectionUrl = tl.getVariable('System.TeamFoundationCollectionUri') || tl.getEndpointUrl(JOB_ENDPOINT, true);
  if (!collectionUrl) throw new LockstepError('Error_NoCollectionUrl', []);
  return { collectionUrl, token };
}

/**
 * An `externaltfs` (Azure Repos/Team Foundation Server) service connection to another organization: scheme Token
 * keeps a personal access token in `apitoken`; scheme UsernamePassword is used here with a PAT as the password.
 */
function readServiceConnection(endpointId: string): ConnectionSettings {
  const auth = tl.getEndpointAuthorization(endpointId, true);
  if (!auth) throw new Error(hostText('Error_ConnectionNotFound', endpointId));
  const scheme = auth.scheme ?? '';
  const field = /^token$/i.test(scheme) ? 'apitoken' : /^usernamepassword$/i.test(scheme) ? 'password' : undefined;
  if (!field) throw new Error(hostText('Error_ConnectionSchemeUnsupported', endpointId, scheme));
  const token = findIgnoringCase(auth.parameters ?? {}, field);
  if (!token) throw new Error(hostText('Error_ConnectionTokenMissing', endpointId, scheme));
  tl.setSecret(token);
  const collectionUrl = tl.getEndpointUrl(endpointId, true);
  if (!collectionUrl) throw new Error(hostText('Error_ConnectionNotFound', endpointId));
  // The agent hands tasks the connection's id, not its name; the id is what a person can look up.
  return { collectionUrl, token, connectionName: endpointId };
}

/** The agent's proxy (Agent.ProxyUrl and friends), when it has one; its password is a secret too. */
function agentProxy(): ConnectionSettings['proxy'] {
  const proxy = tl.getHttpProxyConfiguration();
  if (!proxy?.proxyUrl) return undefined;
  if (proxy.proxyPassword) tl.setSecret(proxy.proxyPassword);
  return {
    proxyUrl: proxy.proxyUrl,
    proxyUsername: proxy.proxyUsername || undefined,
    proxyPassword: proxy.proxyPassword || undefined,
    proxyBypassHosts: proxy.proxyBypassHosts ?? [],
  };
}

function findIgnoringCase(values: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : values[key];
}
