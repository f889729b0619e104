/** IdentityRef as the service shows people and service identities. */
import { guidFor } from '../ids';
import type { Urls } from './urls';

export function identityId(displayName: string): string {
  return guidFor(`identity/${displayName}`);
}

export function identityRef(urls: Urls, displayName: string): Record<string, unknown> {
  const id = identityId(displayName);
  const service = /build service/i.test(displayName);
  const descriptor = `${service ? 'svc' : 'aad'}.${Buffer.from(id).toString('base64').replace(/=+$/, '')}`;
  const avatar = urls.collectionApi(`GraphProfile/MemberAvatars/${descriptor}`);
  return {
    displayName,
    url: urls.collectionApi(`Identities/${id}`),
    _links: { avatar: { href: avatar } },
    id,
    uniqueName: service ? `Build\\${id}` : `${displayName.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`,
    imageUrl: avatar,
    descriptor,
  };
}
