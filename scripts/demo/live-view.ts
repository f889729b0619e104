import { MemberState } from './member-pipeline';

const icons: Record<string, string> = { queued: '·', running: '▶', waiting: '◌', succeeded: '✔', failed: '✖', canceled: '■' };

/**
 * The train at a glance, one line per member: its stage, state, what it waits on, and how long it has run.
 * On a terminal the board redraws in place; elsewhere (CI logs) each change is printed once as a line.
 */
export class LiveView {
  private readonly tty = Boolean(process.stdout.isTTY);
  private drawn = 0;
  private readonly last = new Map<string, string>();
  /** The board when the most members were waiting in a Lockstep task: the picture of the train mid-flight. */
  busiest: string[] = [];
  private busiestWaiting = 0;

  constructor(
    private readonly members: MemberState[],
    private readonly startedAt: number,
    private readonly scale: number,
  ) {}

  /** The board as it stands, one line per member. */
  snapshot(): string[] {
    return this.members.map((m) => this.line(m));
  }

  render(): void {
    const lines = this.snapshot();
    const waiting = this.members.filter((m) => m.status === 'waiting' && m.detail.includes(': ')).length;
    if (waiting > this.busiestWaiting) {
      this.busiestWaiting = waiting;
      this.busiest = lines;
    }
    if (this.tty) {
      if (this.drawn) process.stdout.write(`\x1b[${this.drawn}A`);
      process.stdout.write(lines.map((l) => `\x1b[2K${l.slice(0, (process.stdout.columns ?? 160) - 1)}\n`).join(''));
      this.drawn = lines.length;
      return;
    }
    for (const [i, m] of this.members.entries()) {
      const key = `${m.stage}|${m.status}|${m.detail}`;
      if (this.last.get(m.member.name) === key) continue;
      this.last.set(m.member.name, key);
      console.log(`[${clock(Date.now() - this.startedAt)}] ${lines[i].replace(/ +\d+:\d\d$/, '')}`);
    }
  }

  private line(m: MemberState): string {
    const elapsed = clock(((m.endedAt ?? Date.now()) - m.startedAt) * this.scale);
    const name = `${m.member.kind === 'release' ? 'release:' : ''}${m.member.name}`.padEnd(20);
    // An ended member's state is its run's result; the stage column shows the last stage that ran.
    const status = m.status === 'succeeded' || m.status === 'failed' ? `run ${m.status}` : m.status;
    return `  ${icons[m.status] ?? ' '} ${name} ${m.stage.padEnd(10)} ${status.padEnd(14)} ${truncate(m.detail, 90).padEnd(90)} ${elapsed}`;
  }
}

/** m:ss */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
