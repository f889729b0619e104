/** TeamProjectReference and TeamProject as the core API answers them. */
import type { ScenarioClock } from '../clock';
import { guidFor } from '../ids';
import type { ProjectState } from '../world/model';
import type { Urls } from './urls';

export function projectReference(urls: Urls, clock: ScenarioClock, p: ProjectState): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    ...(p.description !== undefined ? { description: p.description } : {}),
    url: urls.collectionApi(`projects/${p.id}`),
    state: 'wellFormed',
    revision: 11,
    visibility: 'private',
    lastUpdateTime: clock.iso(-30 * 86_400_000),
  };
}

export function teamProject(urls: Urls, clock: ScenarioClock, p: ProjectState, capabilities: boolean): Record<string, unknown> {
  const teamId = guidFor(`team/${p.id}`);
  return {
    ...projectReference(urls, clock, p),
    _links: {
      self: { href: urls.collectionApi(`projects/${p.id}`) },
      collection: { href: urls.collectionApi(`projectCollections/${guidFor('collection')}`) },
      web: { href: `${urls.collectionUrl}/${encodeURIComponent(p.name)}` },
    },
    ...(capabilities ? {
      capabilities: {
        versioncontrol: { sourceControlType: 'Git', gitEnabled: 'True', tfvcEnabled: 'False' },
        processTemplate: { templateName: 'Agile', templateTypeId: 'adcc42ab-9882-485e-a3ed-7678f01f66bc' },
      },
    } : {}),
    defaultTeam: { id: teamId, name: `${p.name} Team`, url: urls.collectionApi(`projects/${p.id}/teams/${teamId}`) },
  };
}
