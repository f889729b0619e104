import { Build } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';

/**
 * Whether Builds - List fills in the `properties` it was asked for is undocumented (the contract has the field; no
 * source shows it filled). Where an answer carries no `properties` at all, read them for the runs that matter with
 * their own GET, so gate records and wait records read the same either way. A run whose answer has them costs nothing.
 */
export async function ensureProperties(api: AzureDevOps, project: string, builds: Array<Build | undefined>, names: string[]): Promise<void> {
  const missing = builds.filter((b): b is Build => b !== undefined && b.properties === undefined && b.id !== undefined);
  await Promise.all(
    [...new Set(missing)].map(async (build) => {
      build.properties = (await api.getBuildProperties(project, build.id!, names)) ?? {};
    }),
  );
}
