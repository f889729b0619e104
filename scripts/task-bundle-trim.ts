import type { Metafile, Plugin } from 'esbuild';

/**
 * What the task bundles leave out: modules that a library requires when it loads but that no code a Lockstep task
 * runs ever calls. esbuild cannot drop them (a CommonJS require may have side effects), so scripts/bundle.mjs puts a
 * stub in each one's place. A stub fails loudly when touched: it writes {@link TRIMMED_MARK} to stderr and throws,
 * so a task that ever reaches one fails with a message naming the module, and the agent harness fails every test
 * whose task wrote the mark (emulator/agent/agent-harness.ts). The build checks each entry still applies and that
 * the real module went nowhere else (checkTrim).
 */
export interface TrimmedModule {
  /** The module as its importers require it, relative to node_modules (no .js). */
  module: string;
  /** The only files (relative to node_modules) that require it, with the exact specifier each uses. */
  requiredBy: Array<{ file: string; specifier: string }>;
  /** Why no code a task runs reaches it. */
  why: string;
  /**
   * Property paths an importer reads from it while loading, without using what it read: each answers with a stub of
   * its own, which throws when called, constructed or read further.
   */
  readAtLoad?: string[];
  /** node_modules paths that go with it (required by nothing else in the bundles): the build fails if one remains. */
  takesWith: string[];
}

/** The start of what a stub writes to stderr when reached; the agent harness looks for it. */
export const TRIMMED_MARK = "Lockstep's task bundle left out";

export const TRIMMED: TrimmedModule[] = [
  {
    module: 'azure-devops-node-api/interfaces/TestInterfaces',
    requiredBy: [{ file: 'azure-devops-node-api/interfaces/BuildInterfaces.js', specifier: '../interfaces/TestInterfaces' }],
    why: "BuildInterfaces.js reads one thing from it, TypeInfo.AggregatedResultsAnalysis, for the field map of TypeInfo.BuildCompletedEvent (a service hook's event), which no client method deserializes; nothing else in the bundles requires it",
    readAtLoad: ['TypeInfo.AggregatedResultsAnalysis'],
    takesWith: ['azure-devops-node-api/interfaces/TestInterfaces.js', 'azure-devops-node-api/interfaces/common/SystemDataInterfaces.js'],
  },
  {
    module: 'typed-rest-client/handlers/ntlm',
    requiredBy: [{ file: 'typed-rest-client/Handlers.js', specifier: './handlers/ntlm' }],
    why: 'Handlers.js re-exports every credential handler behind a getter; Lockstep creates only the personal-access-token and bearer handlers (src/connection/connect.ts) and nothing in the bundles reads NtlmCredentialHandler',
    takesWith: ['typed-rest-client/handlers/ntlm.js', 'typed-rest-client/opensource/', 'underscore/', 'des.js/', 'js-md4/', 'inherits/', 'minimalistic-assert/'],
  },
  {
    module: 'qs',
    requiredBy: [{ file: 'typed-rest-client/Util.js', specifier: 'qs' }],
    why: "Util.getUrl calls qs.stringify only for a request's options.queryParameters; the clients' requests carry the options of createRequestOptions (an Accept header only), as do Lockstep's own (src/client/azure-devops.ts), so none has query parameters",
    takesWith: ['qs/', 'side-channel', 'object-inspect/', 'get-intrinsic/', 'call-bind', 'call-bound/', 'function-bind/', 'has-symbols/', 'hasown/', 'es-errors/', 'es-define-property/', 'es-object-atoms/', 'get-proto/', 'dunder-proto/', 'gopd/', 'math-intrinsics/'],
  },
  {
    module: 'azure-pipelines-task-lib/toolrunner',
    requiredBy: [{ file: 'azure-pipelines-task-lib/task.js', specifier: './toolrunner' }],
    why: 'only tl.tool, tl.exec and tl.execSync use it; the tasks run no tool (tasks/host uses task-lib for inputs, variables, endpoints and logging commands only)',
    readAtLoad: ['ToolRunner'],
    takesWith: ['azure-pipelines-task-lib/toolrunner.js', 'q/'],
  },
  {
    module: 'minimatch',
    requiredBy: [
      { file: 'azure-pipelines-task-lib/task.js', specifier: 'minimatch' },
      { file: 'azure-pipelines-task-lib/internal.js', specifier: 'minimatch' },
    ],
    why: 'only tl.match, tl.filter, tl.findMatch and the find helpers behind them use it; the tasks match no files',
    takesWith: ['minimatch/', 'brace-expansion/', 'balanced-match/', 'concat-map/'],
  },
];

const NAMESPACE = 'lockstep-trimmed';

/** The esbuild plugin that puts each trimmed module's stub in its place; `applied` records which it replaced. */
export function trimPlugin(applied: Set<string>): Plugin {
  return {
    name: 'lockstep-trim',
    setup(build) {
      for (const trimmed of TRIMMED) {
        const specifiers = new Set(trimmed.requiredBy.map((r) => r.specifier));
        const filter = new RegExp(`^(${[...specifiers].map(escapeRegExp).join('|')})$`);
        build.onResolve({ filter }, (args) => {
          const importer = nodeModulesPath(args.importer);
          if (!trimmed.requiredBy.some((r) => r.file === importer && r.specifier === args.path)) return undefined;
          applied.add(trimmed.module);
          return { path: trimmed.module, namespace: NAMESPACE };
        });
      }
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const trimmed = TRIMMED.find((t) => t.module === args.path);
        if (!trimmed) return { errors: [{ text: `No trimmed module ${args.path}` }] };
        return { contents: stubSource(trimmed), loader: 'js' };
      });
    },
  };
}

/**
 * The stub's CommonJS source: a Proxy that throws on every use (call, new, read, write, `in`, listing its keys),
 * except the paths in readAtLoad, which lead to stubs of their own.
 */
export function stubSource(trimmed: TrimmedModule): string {
  const message = `${TRIMMED_MARK} ${trimmed.module} because ${trimmed.why}; yet the task reached it. This is a bug in Lockstep's bundling (scripts/task-bundle-trim.ts).`;
  return [
    `const message = ${JSON.stringify(message)};`,
    'function reached() { process.stderr.write(message + "\\n"); throw new Error(message); }',
    `const readAtLoad = ${JSON.stringify(trimmed.readAtLoad ?? [])};`,
    'function stub(path) {',
    '  return new Proxy(function () {}, {',
    '    get(_, key) {',
    '      const next = path ? path + "." + String(key) : String(key);',
    '      if (readAtLoad.some((p) => p === next || p.startsWith(next + "."))) return stub(next);',
    '      reached();',
    '    },',
    '    apply: reached, construct: reached, has: reached, set: reached, ownKeys: reached, getOwnPropertyDescriptor: reached, defineProperty: reached, deleteProperty: reached,',
    '  });',
    '}',
    'module.exports = stub("");',
  ].join('\n');
}

/**
 * Problems with the trim in one bundle: an entry that no longer applies (a library changed what it requires) or a
 * trimmed module, or what goes with it, that came into the bundle anyway through another importer.
 */
export function checkTrim(applied: Set<string>, metafile: Metafile): string[] {
  const problems: string[] = [];
  for (const trimmed of TRIMMED) {
    if (!applied.has(trimmed.module)) problems.push(`${trimmed.module} is no longer required as listed in TRIMMED; update scripts/task-bundle-trim.ts`);
  }
  for (const input of Object.keys(metafile.inputs)) {
    const file = nodeModulesPath(input);
    if (!file) continue;
    const owner = TRIMMED.find((t) => t.takesWith.some((prefix) => file.startsWith(prefix)));
    if (owner) problems.push(`${file} is in the bundle although ${owner.module} is left out: something else requires it; update scripts/task-bundle-trim.ts`);
  }
  return problems;
}

/** The part of a path below its last node_modules/, with forward slashes; '' outside node_modules. */
function nodeModulesPath(file: string): string {
  const normal = file.replace(/\\/g, '/');
  const at = normal.lastIndexOf('node_modules/');
  return at < 0 ? '' : normal.slice(at + 'node_modules/'.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
