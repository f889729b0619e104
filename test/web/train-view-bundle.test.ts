import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { repoRoot } from '../../emulator/agent/agent-harness';

const root = repoRoot();
const dist = path.join(root, 'dist', 'web', 'train-view');

/** Every .ts file under dir, recursively. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/**
 * The ways a page turns a string into markup. The view holds the user's access token and shows what anyone who can
 * queue or tag a run writes (run names, tags, stage names), so none of them may appear: the page builds elements
 * and sets text, nothing else.
 */
const HTML_SINKS: Array<[string, RegExp]> = [
  ['innerHTML', /innerHTML/],
  ['outerHTML =', /outerHTML\s*=/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['document.write', /document\.write/],
  ['createContextualFragment', /createContextualFragment/],
  ['DOMParser', /DOMParser/],
  ['srcdoc', /srcdoc/],
];

describe('the bundled train view (dist/web/train-view, after npm run build)', () => {
  before(() => assert.ok(fs.existsSync(dist), 'dist/web/train-view is missing: run `npm run build` first'));

  it('ships the page, its style, its script and the notices of what the script bundles — nothing else', () => {
    assert.deepEqual(fs.readdirSync(dist).sort(), ['ThirdPartyNotices.txt', 'main.js', 'train-view.css', 'train-view.html']);
    assert.match(fs.readFileSync(path.join(dist, 'ThirdPartyNotices.txt'), 'utf8'), /azure-devops-extension-sdk@5\.0\.0/);
    const files = ['train-view.html', 'train-view.css', 'main.js'].map((file) => fs.readFileSync(path.join(dist, file)));
    const raw = files.reduce((sum, data) => sum + data.length, 0);
    const gzipped = files.reduce((sum, data) => sum + zlib.gzipSync(data, { level: 9 }).length, 0);
    console.log(`      html + css + js: ${raw.toLocaleString('en-US')} bytes, ${gzipped.toLocaleString('en-US')} gzipped`);
    // Plain DOM and fetch were chosen for size (docs/architecture.md): a framework would show here first.
    assert.ok(gzipped < 40_000, `the page is ${gzipped} bytes gzipped`);
  });

  it('never turns text into HTML: no innerHTML, outerHTML, insertAdjacentHTML, document.write or parser in the bundle nor in web/', () => {
    const bundle = fs.readFileSync(path.join(dist, 'main.js'), 'utf8');
    for (const [name, sink] of HTML_SINKS) assert.doesNotMatch(bundle, sink, `main.js uses ${name}`);
    for (const file of sources(path.join(root, 'web'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const [name, sink] of HTML_SINKS) assert.doesNotMatch(text, sink, `${path.relative(root, file)} uses ${name}`);
    }
  });

  it('lets no inline script or event handler run: its Content-Security-Policy allows scripts from its own origin only', () => {
    const html = fs.readFileSync(path.join(dist, 'train-view.html'), 'utf8');
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(policy, 'no Content-Security-Policy');
    const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]/, 'no inline script in the page');
  });

  it('carries nothing that only runs in Node.js (the reader has its own check: test/packaging/browser-safe.test.ts)', () => {
    const bundle = fs.readFileSync(path.join(dist, 'main.js'), 'utf8');
    for (const nodeOnly of [/\brequire\(["']/, /azure-pipelines-task-lib/, /typed-rest-client/, /\bBuffer\.from\(/]) {
      assert.ok(!nodeOnly.test(bundle), `main.js holds ${nodeOnly}`);
    }
  });
});
