import { fromBase64url, toBase64url } from '../annotations/base64url';
import type { WaitRecord } from './wait-record';

/**
 * A classic release keeps no properties, so a waiting task in one publishes its wait record as tags on its release:
 * the record's JSON in base64url, cut into numbered pieces, `lockstep.waiting.<i>.<n>.<piece>`. Every character of
 * such a tag is safe in a URL path — the release tag API removes a tag by its path, and the service refuses ':' there
 * even encoded — and each tag stays short. When the wait ends, one more tag says how, `lockstep.waiting.ended.<json
 * in base64url>` naming the record by its `since`: one request, where rewriting the pieces would remove each one.
 */
const prefix = 'lockstep.waiting.';
const endedPrefix = `${prefix}ended.`;
const pieceLength = 160;

export function waitRecordTags(record: WaitRecord): string[] {
  const text = toBase64url(JSON.stringify(record));
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += pieceLength) pieces.push(text.slice(at, at + pieceLength));
  return pieces.map((piece, i) => `${prefix}${i + 1}.${pieces.length}.${piece}`);
}

/** The tag that says a published wait ended (the record's `ended`), tied to the record by its `since`. */
export function endedWaitTag(record: WaitRecord): string {
  return `${endedPrefix}${toBase64url(JSON.stringify({ since: record.since, ...record.ended }))}`;
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
    const record = JSON.parse(fromBase64url(text)) as WaitRecord;
    if (!Array.isArray(record?.waitsFor)) return undefined;
    const ended = record.ended ?? endedOf(tags ?? [], record.since);
    return ended ? { ...record, ended } : record;
  } catch {
    return undefined;
  }
}

/** How the wait that started at `since` ended, when a tag says so. */
function endedOf(tags: string[], since: string): WaitRecord['ended'] {
  for (const tag of tags) {
    if (!tag.toLowerCase().startsWith(endedPrefix)) continue;
    try {
      const ended = JSON.parse(fromBase64url(tag.slice(endedPrefix.length))) as { since?: string; at?: string; outcome?: string };
      if (ended.since === since && typeof ended.at === 'string' && typeof ended.outcome === 'string') return { at: ended.at, outcome: ended.outcome as NonNullable<WaitRecord['ended']>['outcome'] };
    } catch {
      // Not one of ours: passed over.
    }
  }
  return undefined;
}
