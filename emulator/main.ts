/**
 * The emulator as its own process:
 *   node out/emulator/main.js --scenario <file.json> [--port N] [--time-scale N]
 * prints one JSON line {collectionUrl, releaseUrl, token} to stdout, logs each request to stderr,
 * and stops on SIGINT or SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { startEmulator } from './index';
import type { Scenario } from './scenario';

interface Args {
  scenario: string;
  port?: number;
  timeScale?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--scenario': args.scenario = value(); break;
      case '--port': args.port = Number(value()); break;
      case '--time-scale': args.timeScale = Number(value()); break;
      default: throw new Error(`Unknown argument '${argv[i]}'. Usage: main.js --scenario <file.json> [--port N] [--time-scale N]`);
    }
  }
  if (!args.scenario) throw new Error('Missing --scenario <file.json>.');
  return args as Args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Tolerate a UTF-8 byte-order mark, as files written on Windows often have one.
  const scenario = JSON.parse(readFileSync(args.scenario, 'utf8').replace(/^\uFEFF/, '')) as Scenario;
  const emulator = await startEmulator({
    scenario,
    port: args.port,
    timeScale: args.timeScale,
    onRequest: (e) => {
      const qs = new URLSearchParams(e.query).toString();
      process.stderr.write(`${e.method} ${e.path}${qs ? `?${qs}` : ''} -> ${e.status || 'reset'} ${e.route}${e.fault ? ` (fault: ${e.fault})` : ''}${e.origin ? ` (from ${e.origin})` : ''}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ collectionUrl: emulator.collectionUrl, releaseUrl: emulator.releaseUrl, token: emulator.token })}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
