/**
 * A real headless Chromium from npm alone, for the web tests, `npm run pictures` and the bench: `@sparticuz/chromium`
 * ships the browser (brotli-packed) inside its package and `playwright-core` drives it. Nothing is downloaded, at
 * install or at run time.
 *
 * Things the package does that we must not inherit:
 * - `Chromium.args` carries `--disable-web-security` (and `--disable-site-isolation-trials`,
 *   `--allow-running-insecure-content`): made for scraping on AWS Lambda, they switch CORS and the same-origin policy
 *   off, so a CORS test could never fail. They are dropped here.
 * - `Chromium.executablePath()` unpacks into `os.tmpdir()/chromium` and reuses whatever is there, of any version,
 *   even half written by a process running at the same time. Here it unpacks once per version (and user) into a
 *   staging folder renamed into place when complete, in a child process so TMPDIR is changed for it alone.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

/** Flags of Chromium.args that would switch off what the web tests check (CORS, the same-origin policy). */
const UNSAFE_FLAGS = ['--disable-web-security', '--disable-site-isolation-trials', '--allow-running-insecure-content'];
/**
 * Flags dropped for other reasons: playwright sets headless itself; `--single-process` (a Lambda sandbox need, with
 * `--no-zygote`) makes the whole browser exit when the first context closes.
 */
const NOT_HERE = [/^--headless\b/, /^--single-process$/, /^--no-zygote$/];

interface Unpacked {
  executablePath: string;
  args: string[];
}

let unpacking: Promise<Unpacked> | undefined;

/** The unpacked browser and the flags to launch it with; unpacks on the first call on this machine (about 3 s). */
export function chromiumBinary(): Promise<Unpacked> {
  unpacking ??= unpack();
  return unpacking;
}

async function unpack(): Promise<Unpacked> {
  const entry = require.resolve('@sparticuz/chromium');
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  const home = path.join(os.tmpdir(), `lockstep-chromium-${pkg.version}-${user}`);
  const launchFile = path.join(home, 'launch.json');
  if (!fs.existsSync(launchFile)) {
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), `lockstep-chromium-${pkg.version}-staging-`));
    try {
      // The package is ESM only; a child process imports it with TMPDIR pointing at the staging folder.
      const script = `import Chromium from ${JSON.stringify(pathToFileURL(entry).href)};
        const executablePath = await Chromium.executablePath();
        process.stdout.write(JSON.stringify({ executablePath, args: Chromium.args }));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging }, maxBuffer: 1 << 20,
      });
      const got = JSON.parse(stdout) as Unpacked;
      const relative = path.relative(staging, got.executablePath);
      fs.writeFileSync(path.join(staging, 'launch.json'), JSON.stringify({ executable: relative, args: got.args }));
      fs.renameSync(staging, home);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      // Another process may have renamed its complete copy into place first: use that one.
      if (!fs.existsSync(launchFile)) throw error;
    }
  }
  const saved = JSON.parse(fs.readFileSync(launchFile, 'utf8')) as { executable: string; args: string[] };
  const args = saved.args.filter((a) => !UNSAFE_FLAGS.includes(a) && !NOT_HERE.some((p) => p.test(a)));
  return { executablePath: path.join(home, saved.executable), args };
}

/** Launches headless Chromium; `launchMs` is the time it took (unpacking included, when it happened). */
export async function launchChromium(): Promise<{ browser: Browser; launchMs: number }> {
  const started = Date.now();
  const { executablePath, args } = await chromiumBinary();
  const browser = await chromium.launch({ executablePath, args, headless: true });
  return { browser, launchMs: Date.now() - started };
}
