import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Copies a task folder into a fresh temp folder and checks that no node_modules exists in it or above it, so a
 * task that runs from there can only be using what it ships. Returns the copy.
 */
export function isolatedCopy(source: string, name = path.basename(source)): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-isolated-'));
  const copy = path.join(dir, name);
  fs.cpSync(source, copy, { recursive: true });
  for (let at = copy; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, 'node_modules'))) throw new Error(`${path.join(at, 'node_modules')} exists above the isolated copy`);
    if (path.dirname(at) === at) break;
  }
  return copy;
}

/** Removes what isolatedCopy made. */
export function removeIsolatedCopy(copy: string): void {
  fs.rmSync(path.dirname(copy), { recursive: true, force: true });
}

/** Every file under dir, with its size, paths with '/'. */
export function filesWithSizes(dir: string, prefix = ''): { path: string; bytes: number }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesWithSizes(full, relative) : [{ path: relative, bytes: fs.statSync(full).size }];
  });
}
