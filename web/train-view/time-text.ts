/**
 * Times as the view writes them: clock times in UTC with the zone named (a person compares them with other runs'
 * logs, which the agent writes in UTC), durations short and exact enough to act on ("5m", "1h 05m").
 * Pure functions of their inputs, so "now" is always the refresher's clock.
 */

/** "14:02 UTC", with the date in front when the time is not on the UTC day of `now`: "2026-11-30 14:02 UTC". */
export function clockTime(iso: string, now: number): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const day = at.toISOString().slice(0, 10);
  const time = at.toISOString().slice(11, 16);
  return day === new Date(now).toISOString().slice(0, 10) ? `${time} UTC` : `${day} ${time} UTC`;
}

/** "45s", "5m", "1h 05m", "2d 3h"; never negative (clocks of the service and the browser differ a little). */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** "since 14:02 UTC (5m)": a moment and how long ago it was. */
export function since(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : `since ${clockTime(iso, now)} (${duration(now - at)})`;
}

/** "at 14:05 UTC". */
export function at(iso: string | undefined, now: number): string {
  return iso ? `at ${clockTime(iso, now)}` : '';
}

/** How long something took from start to end, when both are known: "took 3m". */
export function took(startIso: string | undefined, endIso: string | undefined): string {
  if (!startIso || !endIso) return '';
  const ms = Date.parse(endIso) - Date.parse(startIso);
  return Number.isNaN(ms) ? '' : `took ${duration(ms)}`;
}

/** "updated 3 s ago" — whole seconds, as the header ticks once a second. */
export function updatedAgo(readAtMs: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - readAtMs) / 1000));
  return seconds < 1 ? 'updated just now' : `updated ${seconds} s ago`;
}

/** Joins the non-empty parts with spaces. */
export function words(...parts: Array<string | undefined | false>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(' ');
}
