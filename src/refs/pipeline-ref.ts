import { InputError } from '../errors';

/**
 * One line of a reference list:
 *   [release:][<project>/]<definition name | \folder\name | numeric id>[@<stage or environment>]
 * e.g. `api@Prod`, `Shop/db-migrations@Deploy_Prod`, `\team\web`, `42`, `release:Legacy Web@Production`.
 */
export interface PipelineRef {
  /** 1-based line in the input, for messages. */
  line: number;
  /** The line as written, trimmed; how the reference is named in every message. */
  text: string;
  /** yaml: a YAML (or classic build) pipeline; release: a classic release pipeline. */
  kind: 'yaml' | 'release';
  project?: string;
  /** The definition's name, when not given by id. */
  name?: string;
  /** The folder, as written after the leading backslash ("\team\svc" → "\team"), when given. */
  folder?: string;
  id?: number;
  /** A YAML stage (identifier or display name) or a classic environment. */
  stage?: string;
}

const releasePrefix = /^release\s*:\s*/i;

/** Parses a reference list: one per line; blank lines and lines starting with # are ignored. */
export function parsePipelineRefs(text: string, options: { allowStage: boolean }): PipelineRef[] {
  const refs: PipelineRef[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const ref = parseOne(line, index + 1);
    if (ref.stage !== undefined && !options.allowStage) throw new InputError('Error_RefStageNotAllowed', [ref.line, ref.text]);
    const twin = refs.find((r) => sameTarget(r, ref));
    if (twin) throw new InputError('Error_RefDuplicate', [ref.line, ref.text, twin.line]);
    refs.push(ref);
  });
  if (refs.length === 0) throw new InputError('Error_RefEmpty', []);
  return refs;
}

function parseOne(text: string, line: number): PipelineRef {
  const invalid = (why: string) => new InputError('Error_RefInvalid', [line, text, why]);
  let rest = text;
  const kind = releasePrefix.test(rest) ? 'release' : 'yaml';
  rest = rest.replace(releasePrefix, '');

  let stage: string | undefined;
  // Stage identifiers and environment names have no '@'; definition names may, so split at the last one.
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    stage = rest.slice(at + 1).trim();
    rest = rest.slice(0, at).trim();
    if (!stage) throw invalid('nothing after @');
  }

  let project: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    project = rest.slice(0, slash).trim();
    rest = rest.slice(slash + 1).trim();
    if (!project) throw invalid('empty project before /');
    if (rest.includes('/')) throw invalid("more than one '/' (folders are written with backslashes: \\folder\\name)");
  }
  if (!rest) throw invalid('no pipeline name');

  const ref: PipelineRef = { line, text, kind, project, stage };
  if (/^\d+$/.test(rest)) {
    ref.id = Number(rest);
  } else if (rest.startsWith('\\')) {
    const parts = rest.split('\\').map((p) => p.trim());
    const name = parts.pop()!;
    if (!name) throw invalid('the folder path ends without a pipeline name');
    ref.name = name;
    ref.folder = parts.join('\\') || '\\';
  } else {
    ref.name = rest;
  }
  return ref;
}

function sameTarget(a: PipelineRef, b: PipelineRef): boolean {
  const eq = (x?: string | number, y?: string | number) => String(x ?? '').toLowerCase() === String(y ?? '').toLowerCase();
  return a.kind === b.kind && eq(a.project, b.project) && eq(a.name, b.name) && eq(a.folder, b.folder) && eq(a.id, b.id) && eq(a.stage, b.stage);
}
