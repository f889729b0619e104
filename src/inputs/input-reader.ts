import { InputError } from '../errors';

/** Reads one raw input by name; undefined or '' when not set. The task host backs it with tl.getInput. */
export type GetInput = (name: string) => string | undefined;

/** Typed, checked access to raw inputs; every error names the input and the value. */
export class InputReader {
  constructor(private readonly get: GetInput) {}

  text(name: string, fallback = ''): string {
    return this.get(name)?.trim() || fallback;
  }

  required(name: string): string {
    const value = this.get(name)?.trim();
    if (!value) throw new InputError('Error_InputRequired', [name]);
    return value;
  }

  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.get(name)?.trim();
    if (!raw) return fallback;
    if (!/^-?\d+$/.test(raw)) throw new InputError('Error_InputNotNumber', [name, raw]);
    const value = Number(raw);
    if (range.min !== undefined && value < range.min) throw new InputError('Error_InputOutOfRange', [name, `at least ${range.min}`, value]);
    if (range.max !== undefined && value > range.max) throw new InputError('Error_InputOutOfRange', [name, `at most ${range.max}`, value]);
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.get(name)?.trim().toLowerCase();
    if (!raw) return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new InputError('Error_InputNotOneOf', [name, 'true, false', raw]);
  }

  oneOf<T extends string>(name: string, options: readonly T[], fallback: T): T {
    const raw = this.get(name)?.trim();
    if (!raw) return fallback;
    // The classic editor and YAML both send the option's value; accept any letter case as YAML authors type it.
    const found = options.find((o) => o.toLowerCase() === raw.toLowerCase());
    if (!found) throw new InputError('Error_InputNotOneOf', [name, options.join(', '), raw]);
    return found;
  }
}
