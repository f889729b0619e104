/** Release definitions: the list item (environments only with $expand) and the full GET answer. */
import type { ReleaseDefinitionState } from '../world/model';
import type { EmulatorState } from '../world/world';
import { dropUndefined } from './build';
import { identityRef } from './identity';
import { releaseDefinitionShallow } from './release';
import type { Urls } from './urls';

export function renderReleaseDefinition(
  world: EmulatorState, urls: Urls, d: ReleaseDefinitionState, withEnvironments: boolean,
): Record<string, unknown> {
  const creator = identityRef(urls, world.identity);
  const latest = [...world.releasesById.values()]
    .filter((r) => r.projectId === d.projectId && r.definitionId === d.id)
    .sort((a, b) => b.id - a.id)[0];
  return dropUndefined({
    source: 'userInterface',
    revision: d.revision,
    description: '',
    createdBy: creator,
    createdOn: world.clock.iso(d.createdOn),
    modifiedBy: creator,
    modifiedOn: world.clock.iso(d.createdOn),
    isDeleted: false,
    variableGroups: [],
    releaseNameFormat: 'Release-$(rev:r)',
    properties: {},
    environments: withEnvironments ? d.environments.map((e) => ({
      id: e.id,
      name: e.name,
      rank: e.rank,
      owner: creator,
      variables: {},
      variableGroups: [],
      preDeployApprovals: { approvals: [{ rank: 1, isAutomated: true, isNotificationOn: false, id: 0 }] },
      postDeployApprovals: { approvals: [{ rank: 1, isAutomated: true, isNotificationOn: false, id: 0 }] },
      deployPhases: [],
      demands: [],
      conditions: e.rank === 1 ? [{ name: 'ReleaseStarted', conditionType: 'event', value: '' }] : [],
      executionPolicy: { ...e.executionPolicy },
      schedules: [],
      currentRelease: latest ? { id: latest.id, url: urls.release(d.projectId, `releases/${latest.id}`), _links: {} } : undefined,
      retentionPolicy: { daysToKeep: 30, releasesToKeep: 3, retainBuild: true },
      properties: {},
      environmentTriggers: [],
      badgeUrl: urls.release(d.projectId, `badge/${d.id}/${e.id}`),
    })) : undefined,
    ...releaseDefinitionShallow(world, urls, d),
  });
}
