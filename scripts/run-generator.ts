import { rootArgument } from './root-argument';

/** A generator of committed files: what it is called, what it writes, and its two halves. */
export interface Generator {
  /** The script's name, as drift messages quote it. */
  name: string;
  /** What it writes, as a sentence's subject: "Localisation files". */
  what: string;
  /** The paths (relative to root) that are not what it would write. */
  findDrift(root: string): string[];
  /** Writes everything; returns the paths that changed. */
  write(root: string): string[];
  /** How many tasks it covers. */
  count(root: string): number;
}

/** A generator's command line: `--check` only reports drift (exit 1 if any), otherwise it writes. */
export function runGenerator(generator: Generator, argv: string[]): number {
  const root = rootArgument(argv);
  if (argv.includes('--check')) {
    const drift = generator.findDrift(root);
    for (const file of drift) console.error(`${file} is not what ${generator.name} writes; run \`npm run gen\` and commit the result.`);
    if (drift.length === 0) console.log(`${generator.what} of ${generator.count(root)} tasks are up to date.`);
    return drift.length === 0 ? 0 : 1;
  }
  const changed = generator.write(root);
  for (const file of changed) console.log(`wrote ${file}`);
  if (changed.length === 0) console.log(`${generator.what} were already up to date.`);
  return 0;
}
