import { EtaEstimate } from './eta-estimate';

/** The two spacings a timeline read chooses between, in ms. */
export interface TimelineSpacing {
  /** The configured interval: every poll. */
  intervalMs: number;
  /** The longest gap between two reads of a run's timeline while its awaited stage is far off. */
  farMs: number;
}

/**
 * Whether a poll may go without reading the timeline of a run whose awaited stage had not started at the last read.
 * `startsAfter`: how long into their runs the stage usually starts; `runElapsedMs`: how long this run has run;
 * `sinceReadMs`: since its timeline was last read. Only far from the stage's start — before the window of
 * `startsAfter` — and never for farMs or more (half an interval's leeway, so a poll running late does not skip one
 * more); every poll reads from the window on.
 */
export function skipsTimelineRead(startsAfter: EtaEstimate, runElapsedMs: number, sinceReadMs: number, spacing: TimelineSpacing): boolean {
  if (runElapsedMs >= startsAfter.windowStartMs) return false;
  return sinceReadMs + spacing.intervalMs / 2 < spacing.farMs;
}
