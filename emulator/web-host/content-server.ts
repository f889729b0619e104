/**
 * The content origin: the extension's packaged files served as the Marketplace CDN serves them
 * (`https://{publisher}.gallerycdn.vsassets.io/extensions/{publisher}/{extension}/{version}/{stamp}/{path}`):
 * GET and HEAD only, under that versioned prefix only, paths case-sensitive whatever the file system, a content type
 * by extension with `X-Content-Type-Options: nosniff` (a script served as text/plain does not run), no directory
 * listings. When the folder holds the manifest (vss-extension.json, as the staged .vsix layout does), only files under
 * an entry marked `"addressable": true` are served — the others 404, as on the CDN.
 */
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The files a manifest marks addressable, as path prefixes; undefined when the folder has no manifest. */
export function addressablePaths(contentDir: string): string[] | undefined {
  const manifestPath = path.join(contentDir, 'vss-extension.json');
  if (!fs.existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { files?: Array<{ path: string; addressable?: boolean }> };
  return (manifest.files ?? []).filter((f) => f.addressable).map((f) => f.path.replace(/\\/g, '/').replace(/^\.?\//, '').replace(/\/$/, ''));
}

export class ContentFiles {
  private readonly addressable: string[] | undefined;

  constructor(private readonly dir: string, readonly prefix: string) {
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`Web host: contentDir '${dir}' is not a folder.`);
    this.addressable = addressablePaths(dir);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://content').pathname;
    const file = pathname.startsWith(this.prefix) ? this.resolve(pathname.slice(this.prefix.length)) : undefined;
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(method === 'HEAD' ? undefined : 'Not found');
      return;
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(body.length),
      'X-Content-Type-Options': 'nosniff',
      // The CDN caches a version's files for long; here every load reads the folder again.
      'Cache-Control': 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : body);
  }

  /** The file for a path below the prefix, matched segment by segment with exact case; undefined when there is none. */
  private resolve(rest: string): string | undefined {
    let segments: string[];
    try {
      segments = rest.split('/').map((s) => decodeURIComponent(s));
    } catch {
      return undefined;
    }
    if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..' || /[\\/\0]/.test(s))) return undefined;
    const relative = segments.join('/');
    if (this.addressable && !this.addressable.some((p) => relative === p || relative.startsWith(`${p}/`))) return undefined;
    let current = this.dir;
    for (const segment of segments) {
      const entries = fs.readdirSync(current, { withFileTypes: false }) as string[];
      if (!entries.includes(segment)) return undefined;
      current = path.join(current, segment);
      if (!fs.statSync(current).isDirectory() && segment !== segments[segments.length - 1]) return undefined;
    }
    return fs.statSync(current).isFile() ? current : undefined;
  }
}
