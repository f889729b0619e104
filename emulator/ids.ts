import { createHash } from 'node:crypto';

/** A GUID derived from a key, so the same scenario always yields the same ids. */
export function guidFor(key: string): string {
  const h = createHash('sha1').update(key).digest('hex');
  // Version-4 and variant bits, so it reads like the GUIDs the service hands out.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 40-hex commit id derived from a key. */
export function shaFor(key: string): string {
  return createHash('sha1').update(key).digest('hex');
}
