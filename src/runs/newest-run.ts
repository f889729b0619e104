import { Build } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';

/** Of several matching runs, the newest decides: latest queue time, then highest id. */
export function newestBuild(builds: Build[]): Build | undefined {
  const time = (b: Build) => new Date(b.queueTime ?? 0).getTime();
  return [...builds].sort((a, b) => time(b) - time(a) || b.id! - a.id!)[0];
}

/** Release ids grow with creation, so the highest is the newest. */
export function newestRelease(releases: Release[]): Release | undefined {
  return [...releases].sort((a, b) => b.id! - a.id!)[0];
}
