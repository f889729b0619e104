import type { PollPlan } from '../polling/eta-polling';
import { Host } from '../ports';
import { DependencyStatus } from './dependency-status';
import { formatDuration } from './duration';

/**
 * Progress a person can follow: a line when a reference's state changes (not one per poll),
 * a heartbeat when nothing has changed for a while, and the agent's progress fraction.
 */
export class ProgressReporter {
  private readonly lastState = new Map<string, string>();
  private lastLineAt: number;

  constructor(
    private readonly host: Host,
    private readonly startedAt: number,
    private readonly heartbeatMs: number,
  ) {
    this.lastLineAt = startedAt;
  }

  /** `plan`: with ETA-aware polling, the estimate of each running dependency and when the next check comes. */
  report(statuses: DependencyStatus[], plan?: PollPlan): void {
    const now = this.host.clock.now();
    const described = (s: DependencyStatus) => {
      const note = plan?.notes.get(s.ref.label);
      return note ? `${s.observation.state} — ${note}` : s.observation.state;
    };
    for (const s of statuses) {
      if (this.lastState.get(s.ref.label) === s.observation.state) continue;
      this.lastState.set(s.ref.label, s.observation.state);
      this.host.log.info(this.host.localize('Info_StateChanged', s.ref.label, described(s)));
      this.lastLineAt = now;
    }
    const met = statuses.filter((s) => s.observation.verdict === 'met').length;
    const unmet = statuses.filter((s) => s.observation.verdict !== 'met');
    this.host.outputs.setProgress(met / statuses.length, `${met} of ${statuses.length} met`);
    if (unmet.length > 0 && now - this.lastLineAt >= this.heartbeatMs) {
      const list = unmet.map((s) => `${s.ref.label} (${described(s)})`).join('; ') + (plan && plan.notes.size > 0 ? ` — next check in ${formatDuration(plan.delayMs)}` : '');
      this.host.log.info(this.host.localize('Info_Heartbeat', formatDuration(now - this.startedAt), unmet.length, statuses.length, list));
      this.lastLineAt = now;
    }
  }
}
