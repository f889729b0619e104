import { english, Localize, MessageKey } from './messages';

/**
 * Every failure the core reports to a person. It carries its message key and arguments so the task
 * host can render it in the agent's culture; `message` is the English rendering.
 */
export class LockstepError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly args: unknown[],
    options?: { cause?: unknown },
  ) {
    super(english(key, ...args), options);
    this.name = new.target.name;
  }

  render(localize: Localize): string {
    return localize(this.key, ...this.args);
  }
}

/** A bad input, reported before any waiting starts. */
export class InputError extends LockstepError {}

/** A request the service refused or failed; carries the HTTP status and the request. */
export class ApiError extends LockstepError {
  constructor(
    key: MessageKey,
    args: unknown[],
    readonly status: number | undefined,
    readonly request: { method: string; url: string },
    options?: { cause?: unknown },
  ) {
    super(key, args, options);
  }
}

/** A write the service answered without an error, whose effect is not there (a 404 the client turned into null). */
export class NoEffectError extends LockstepError {}

/** The agent canceled the job (SIGINT/SIGTERM) while the core was working. */
export class CanceledError extends LockstepError {}

/** Renders any error for the log: ours through the localizer, anything else by its message. */
export function describeError(error: unknown, localize: Localize = english): string {
  if (error instanceof LockstepError) return error.render(localize);
  if (error instanceof Error) return error.message;
  return String(error);
}
