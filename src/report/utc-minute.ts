/** "2026-11-30 14:02": a moment to the minute, in UTC, as the plan and the step states print it. */
export function utcMinute(date: Date | number): string {
  return new Date(date).toISOString().slice(0, 16).replace('T', ' ');
}
