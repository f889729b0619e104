import { AzureDevOps } from './client/azure-devops';
import { RequestPacing } from './client/request-pacing';
import { defaultRetryPolicy, RetryPolicy } from './client/retry-policy';
import { connect } from './connection/connect';
import { ConnectionSettings } from './connection/connection-settings';
import { Host } from './ports';

/** Connects once (location negotiation, resource areas) and returns the requests the core makes. */
export async function openApi(connection: ConnectionSettings, host: Host, policy: RetryPolicy = defaultRetryPolicy): Promise<AzureDevOps> {
  const ctx = {
    policy,
    clock: host.clock,
    sleep: host.sleep,
    signal: host.signal,
    log: host.log,
    localize: host.localize,
    serviceUrl: connection.collectionUrl,
    pacing: new RequestPacing(host.clock, host.log, host.localize, policy.maxThrottleWaitMs),
  };
  const clients = await connect(connection, ctx);
  return new AzureDevOps(clients, ctx, connection.connectionName);
}
