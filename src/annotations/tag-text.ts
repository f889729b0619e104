/**
 * Where a tag Lockstep writes lives, which decides how it must be spelled:
 * - `build`: a run's tags are added and removed in a PATCH body (`tagsToAdd`/`tagsToRemove`), so any text works;
 * - `release`: a classic release's tag can only be removed by its URL path (DELETE `.../releases/{id}/tags/{tag}`),
 *   and the service refuses a path holding `< > * % & : \ ?` — even percent-encoded, since it checks the decoded
 *   path (ASP.NET's requestPathInvalidCharacters, 400 "A potentially dangerous Request.Path value was detected") —
 *   and IIS drops a trailing `.` of the last path segment.
 */
export type TagHost = 'build' | 'release';

/**
 * Text that goes into a tag Lockstep writes on a run. Tags are read by people in the run's header, so ordinary
 * names (`prod`, `2.3.0`, `Production`) stay as they are; what would break the tag is escaped:
 * - on a build, percent-encoded: `/ \ # ? % & + : @ ;`, control characters and a trailing `.`;
 * - on a release, as `~XX` (`~` and two hex digits; `~` is unreserved in URLs and `%` is refused in the path): the
 *   characters the service refuses in a path and `/ # + ; , @ ~`, control characters, a trailing `.` and space at
 *   either end (the service trims tags). Every character of the result is safe in a URL path.
 */
export function tagText(value: string, on: TagHost = 'build'): string {
  if (on === 'release') {
    const escaped = value.replace(/[<>*%&:\\?\/#+;,@~\u0000-\u001f\u007f]/g, (c) => `~${hex(c)}`);
    return escaped.replace(/^ +| +$|\.$/g, (edge) => [...edge].map((c) => `~${hex(c)}`).join(''));
  }
  const escaped = value.replace(/[\/\\#?%&+:@;\u0000-\u001f\u007f]/g, (c) => `%${hex(c)}`);
  return escaped.endsWith('.') ? `${escaped.slice(0, -1)}%2E` : escaped;
}

/** Reverses tagText. */
export function fromTagText(text: string, on: TagHost = 'build'): string {
  const escape = on === 'release' ? /~([0-9A-F]{2})/gi : /%([0-9A-F]{2})/gi;
  return text.replace(escape, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/**
 * Whether the service takes this tag in a URL path as it is: none of the characters it refuses there (nor `/`,
 * which would split the path), and no trailing `.` (IIS drops it, so another tag would be named).
 */
export function isPathSafeTag(tag: string): boolean {
  return !/[<>*%&:\\?\/]/.test(tag) && !tag.endsWith('.');
}

function hex(c: string): string {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
}
