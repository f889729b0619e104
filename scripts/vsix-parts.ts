/**
 * The .vsix by part — per task its main.js, ThirdPartyNotices.txt, task.json, localisation files and icon; each file
 * of the web pages (web/<page>/); each picture; overview.md; anything else by its top folder; the manifests — with
 * each part's bytes as shipped and as stored in the .vsix (deflated, as tfx writes it), read from the zip's central
 * directory. The zip's own headers are a part too, so the parts add up to the file's size.
 */
export interface VsixPart {
  part: string;
  files: number;
  bytes: number;
  /** Bytes of entry data in the .vsix (deflated or stored), headers not included. */
  zipBytes: number;
}

export interface ZipEntrySize {
  name: string;
  bytes: number;
  zipBytes: number;
}

export const ZIP_HEADERS = 'zip headers and directory';
const TASK_LOC = ' loc (task.loc.json, Strings/)';
const TASK_OTHER = ' other';
/** A task folder's parts, in the order shown. */
const TASK_PARTS = ['main.js', 'ThirdPartyNotices.txt', 'task.json', TASK_LOC, 'icon.png', TASK_OTHER];
export const MANIFESTS = 'manifests ([Content_Types].xml, extension.vsixmanifest, extension.vsomanifest)';

/** Each file of a zip with its size and its stored (compressed) size, from the central directory (no zip64). */
export function zipEntrySizes(zip: Buffer): ZipEntrySize[] {
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('Not a zip: no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntrySize[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`No central directory header at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (!name.endsWith('/')) entries.push({ name, bytes: zip.readUInt32LE(at + 24), zipBytes: zip.readUInt32LE(at + 20) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** Which part a file of the .vsix belongs to. */
export function partOf(name: string): string {
  const task = /^tasks\/([^/]+)\/(.+)$/.exec(name);
  if (task) {
    const [, dir, file] = task;
    if (file === 'task.loc.json' || file.startsWith('Strings/')) return `tasks/${dir}/${TASK_LOC}`;
    return `tasks/${dir}/${TASK_PARTS.includes(file) ? file : TASK_OTHER}`;
  }
  // Pictures and the web pages' files (the train view): each on its own.
  if (name.startsWith('images/') || name.startsWith('web/')) return name;
  if (name.includes('/')) return `${name.slice(0, name.indexOf('/'))}/`;
  if (name === 'overview.md' || name === 'LICENSE') return name;
  return MANIFESTS;
}

/** The parts of a .vsix in a stable order: tasks, web pages, pictures, other folders, top-level files, headers. */
export function vsixParts(zip: Buffer): VsixPart[] {
  const parts = new Map<string, VsixPart>();
  let data = 0;
  for (const entry of zipEntrySizes(zip)) {
    const name = partOf(entry.name);
    const part = parts.get(name) ?? { part: name, files: 0, bytes: 0, zipBytes: 0 };
    part.files += 1;
    part.bytes += entry.bytes;
    part.zipBytes += entry.zipBytes;
    parts.set(name, part);
    data += entry.zipBytes;
  }
  const sorted = [...parts.values()].sort((a, b) => compareKeys(sortKey(a.part), sortKey(b.part)));
  return [...sorted, { part: ZIP_HEADERS, files: 0, bytes: 0, zipBytes: zip.length - data }];
}

/** Tasks (each folder's parts in TASK_PARTS order), web pages, pictures, other folders, then the top-level files. */
function sortKey(part: string): Array<string | number> {
  const task = /^tasks\/([^/]+)\/(.+)$/.exec(part);
  if (task) return [0, task[1], TASK_PARTS.indexOf(task[2])];
  return [part.startsWith('web/') ? 1 : part.startsWith('images/') ? 2 : part.endsWith('/') ? 3 : 4, part, 0];
}

function compareKeys(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return typeof a[i] === 'number' ? (a[i] as number) - (b[i] as number) : String(a[i]).localeCompare(String(b[i]));
  }
  return 0;
}

/** A Markdown table of the parts with a total row: bytes as shipped, bytes in the .vsix, and each part's share. */
export function renderVsixParts(parts: VsixPart[]): string {
  const total = parts.reduce((sum, p) => ({ files: sum.files + p.files, bytes: sum.bytes + p.bytes, zipBytes: sum.zipBytes + p.zipBytes }), { files: 0, bytes: 0, zipBytes: 0 });
  const n = (value: number) => value.toLocaleString('en-US');
  const share = (value: number) => `${((100 * value) / total.zipBytes).toFixed(1)} %`;
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(['part', 'files', 'bytes', 'in the .vsix', 'share']),
    '|---|--:|--:|--:|--:|',
    ...parts.map((p) => row([p.part, p.files ? n(p.files) : '', p.bytes ? n(p.bytes) : '', n(p.zipBytes), share(p.zipBytes)])),
    row(['**total**', n(total.files), n(total.bytes), `**${n(total.zipBytes)}** (${(total.zipBytes / 1024).toFixed(1)} KB)`, '100 %']),
  ].join('\n');
}
