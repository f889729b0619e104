/** Definition folders: "\\" or "\\a\\b" (a leading backslash, none at the end). */
export function normaliseFolder(path: string | undefined): string {
  if (!path) return '\\';
  const parts = path.replace(/\//g, '\\').split('\\').filter(Boolean);
  return `\\${parts.join('\\')}`;
}

/** A path filter finds the folder itself and the folders below it. */
export function underFolder(path: string, folder: string | undefined): boolean {
  if (!folder) return true;
  const f = normaliseFolder(folder).toLowerCase();
  const p = path.toLowerCase();
  return p === f || p.startsWith(`${f === '\\' ? '' : f}\\`);
}
