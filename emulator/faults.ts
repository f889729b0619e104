/**
 * Fault injection: rules that replace (or delay, or mark) the emulator's answer to matching requests.
 * Terminal faults (throttle, error, reset, unauthorized) answer instead of the route, so a write
 * does not happen unless the rule says `applyWrite: true` (the answer is lost after the work is done).
 * `delay` and `slowdown` let the route answer: a slowdown is the service's throttling before it blocks,
 * a normal answer that carries Retry-After and the X-RateLimit-* headers.
 */
export type FaultKind = 'throttle' | 'error' | 'reset' | 'delay' | 'unauthorized' | 'slowdown';

export interface FaultRule {
  kind: FaultKind;
  /** Route name (see README), e.g. "builds.list"; omitted = any route. */
  route?: string;
  /** Regular expression tested against the request path (a string in scenario JSON). */
  path?: string | RegExp;
  /** HTTP method, e.g. "GET"; omitted = any. */
  method?: string;
  /** How many matching requests it affects; omitted = until removed. */
  count?: number;
  /** Let this many matching requests through first (e.g. "401 after N requests"). */
  afterRequests?: number;
  /** error: 500, 502, 503 or 504 (default 503); 404 for something that vanished before the request (the client resolves it as null). */
  status?: number;
  /** throttle, slowdown: the Retry-After header in seconds (default 10). */
  retryAfterSeconds?: number;
  /** throttle, slowdown: the X-RateLimit-Resource header (default "Core"). */
  resource?: string;
  /** slowdown: the X-RateLimit-Delay header, the seconds the service says it held the request (default 0). */
  delaySeconds?: number;
  /** delay, slowdown: real milliseconds to wait before answering (not scaled). */
  delayMs?: number;
  /** Run the route first (its change happens) and then fail the answer. */
  applyWrite?: boolean;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  pattern?: RegExp;
  seen: number;
  applied: number;
}

export interface FaultDecision {
  /** Real ms to wait before answering (sum of matching delay rules). */
  delayMs: number;
  /** The terminal fault that answers, if any. */
  fault?: FaultRule;
  /** The slowdown whose headers the answer carries, if any (the first matching one). */
  slowdown?: FaultRule;
}

export class Faults {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  /** Adds a rule; returns its id for remove(). */
  add(rule: FaultRule): number {
    const id = this.nextId++;
    const pattern = rule.path === undefined ? undefined : rule.path instanceof RegExp ? rule.path : new RegExp(rule.path, 'i');
    this.rules.push({ id, rule, pattern, seen: 0, applied: 0 });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules still in force (a copy). */
  list(): Array<FaultRule & { id: number; applied: number }> {
    return this.rules.map((r) => ({ ...r.rule, id: r.id, applied: r.applied }));
  }

  /** Decides what happens to a request; counts it against the rules it matches. */
  decide(method: string, path: string, route: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    for (const active of [...this.rules]) {
      const { rule } = active;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.route && rule.route !== route) continue;
      if (active.pattern && !active.pattern.test(path)) continue;
      // Only one terminal fault answers; later terminal rules do not see the request.
      const passing = rule.kind === 'delay' || rule.kind === 'slowdown';
      if (!passing && decision.fault) continue;
      if (rule.kind === 'slowdown' && decision.slowdown) continue;
      active.seen += 1;
      if (active.seen <= (rule.afterRequests ?? 0)) continue;
      active.applied += 1;
      if (passing) decision.delayMs += rule.delayMs ?? 0;
      if (rule.kind === 'slowdown') decision.slowdown = rule;
      else if (!passing) decision.fault = rule;
      if (rule.count !== undefined && active.applied >= rule.count) this.remove(active.id);
    }
    return decision;
  }
}
