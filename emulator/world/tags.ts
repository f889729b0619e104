/**
 * Tag lists as the service keeps them: trimmed, unique without regard to case (the first spelling
 * wins), answered in alphabetical order.
 */
export function addTags(list: string[], tags: string[]): void {
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag && !list.some((t) => t.toLowerCase() === tag.toLowerCase())) list.push(tag);
  }
  sortTags(list);
}

export function removeTag(list: string[], tag: string): void {
  const wanted = tag.trim().toLowerCase();
  const at = list.findIndex((t) => t.toLowerCase() === wanted);
  if (at >= 0) list.splice(at, 1);
}

export function sortTags(list: string[]): void {
  list.sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
}

export function hasAllTags(list: string[], wanted: string[]): boolean {
  const have = new Set(list.map((t) => t.toLowerCase()));
  return wanted.every((t) => have.has(t.trim().toLowerCase()));
}
