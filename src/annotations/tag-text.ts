/**
 * Text that goes into a tag Lockstep writes on a run. Tags are read by people in the run's header, so most text
 * stays as it is; what would break a tag in a URL path (the release tag API puts it there) or our own separators
 * (`:` and `@`) is percent-encoded: `/ \ # ? % & + : @ ;`, control characters, and a trailing `.` (which IIS drops).
 */
export function tagText(value: string): string {
  const escaped = value.replace(/[\/\\#?%&+:@;\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return escaped.endsWith('.') ? `${escaped.slice(0, -1)}%2E` : escaped;
}

/** Reverses tagText. */
export function fromTagText(text: string): string {
  return text.replace(/%([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
