import { MemberState } from './member-pipeline';

const icons: Record<string, string> = { queued: '·', running: '▶', waiting: '⏳', succeeded: '✔', failed: '✖', canceled: '■' };

/**
 * The train at a glance, one line per member: its stage, state, what it waits on, and how long it has run.
 * On a terminal the board redraws in place; elsewhere (CI logs) each change is printed once as a line.
 */
export class LiveView {
  private readonly tty = Boolean(process.stdout.isTTY);
  private drawn = 0;
  private readonly last = new Map<string, string>();

  constructor(
    private readonly members: MemberState[],
    private readonly startedAt: number,
    private readonly scale: number,
  ) {}

  render(): void {
    const lines = this.members.map((m) => this.line(m));
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
    return `  ${icons[m.status] ?? ' '} ${name} ${m.stage.padEnd(10)} ${m.status.padEnd(9)} ${truncate(m.detail, 90).padEnd(90)} ${elapsed}`;
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
