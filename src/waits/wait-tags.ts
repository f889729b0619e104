import { WaitRecord } from './wait-record';

/**
 * A classic release keeps no properties, so a waiting task in one publishes its wait record as tags on its release:
 * the record's JSON in base64url, cut into numbered pieces, `lockstep.waiting.<i>.<n>.<piece>`. Every character of
 * such a tag is safe in a URL path — the release tag API removes a tag by its path, and the service refuses ':' there
 * even encoded — and each tag stays short.
 */
const prefix = 'lockstep.waiting.';
const pieceLength = 160;

export function waitRecordTags(record: WaitRecord): string[] {
  const text = Buffer.from(JSON.stringify(record), 'utf8').toString('base64url');
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += pieceLength) pieces.push(text.slice(at, at + pieceLength));
  return pieces.map((piece, i) => `${prefix}${i + 1}.${pieces.length}.${piece}`);
}

export function isWaitTag(tag: string): boolean {
  return tag.toLowerCase().startsWith(prefix);
}

/** The wait record a release's tags carry, if they carry one whole (a partly written or removed one reads as none). */
export function readWaitRecordFromTags(tags: string[] | undefined): WaitRecord | undefined {
  const pieces = new Map<number, string>();
  let count = 0;
  for (const tag of tags ?? []) {
    if (!isWaitTag(tag)) continue;
    const match = /^(\d+)\.(\d+)\.([A-Za-z0-9_-]+)$/.exec(tag.slice(prefix.length));
    if (!match) continue;
    pieces.set(Number(match[1]), match[3]);
    count = Number(match[2]);
  }
  if (count === 0 || pieces.size !== count) return undefined;
  try {
    const text = Array.from({ length: count }, (_, i) => pieces.get(i + 1) ?? '').join('');
    const record = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as WaitRecord;
    return Array.isArray(record?.waitsFor) ? record : undefined;
  } catch {
    return undefined;
  }
}
