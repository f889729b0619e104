import { EtaEstimate } from './eta-estimate';

/** The three spacings a wait chooses between, in ms. */
export interface PollSpacing {
  /** The configured interval: at the window's edges and past it. */
  intervalMs: number;
  /** At the usual duration itself (the least interval a user may set). */
  nearMs: number;
  /** The longest gap while the window is still ahead. */
  farMs: number;
}

/**
 * Ms until the next check of a stage that has been running `elapsedMs`. Before the window: slowly, but never past
 * the window's start; inside it: one interval apart, closing in to nearMs at the usual duration, so a finish anywhere
 * in it is seen within one interval and one near the usual duration sooner; past it: the interval.
 */
export function nextCheckMs(eta: EtaEstimate, elapsedMs: number, spacing: PollSpacing): number {
  const { intervalMs, nearMs, farMs } = spacing;
  if (elapsedMs < eta.windowStartMs) return clamp(eta.windowStartMs - elapsedMs, nearMs, farMs);
  const distance = Math.abs(elapsedMs - eta.usualMs);
  if (elapsedMs > eta.windowEndMs || distance >= eta.closeMs) return intervalMs;
  return clamp(nearMs + ((intervalMs - nearMs) * distance) / eta.closeMs, nearMs, intervalMs);
}

function clamp(value: number, least: number, most: number): number {
  return Math.min(Math.max(value, least), Math.max(least, most));
}
