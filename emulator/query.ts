/** Reading query parameters the way the client writes them (comma-joined arrays, toUTCString dates). */
import { errors } from './errors';

/** "1,2,3" → [1,2,3]; undefined when absent. */
export function intList(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined || value === '') return undefined;
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n)) throw errors.argument(`The value '${value}' of parameter '${name}' is not a list of integers.`);
    return n;
  });
}

export function stringList(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function intParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw errors.argument(`The value '${value}' of parameter '${name}' is not an integer.`);
  return n;
}

/** A date as toUTCString() or ISO-8601 writes it. */
export function dateParam(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw errors.argument(`The value '${value}' of parameter '${name}' is not a date.`);
  return d;
}

/** Matches with "*" as a wildcard, without regard to case. */
export function wildcardMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return re.test(text);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
