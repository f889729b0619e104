import * as path from 'node:path';

/** The checkout a script works on: `--root <dir>`, or this one (scripts run from out/scripts). */
export function rootArgument(argv: string[]): string {
  const flag = argv.indexOf('--root');
  return flag >= 0 ? path.resolve(argv[flag + 1]) : path.resolve(__dirname, '..', '..');
}
