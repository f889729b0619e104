import * as fs from 'node:fs';
import * as path from 'node:path';
import { taskDirs, type GeneratedFile } from './generate-loc';
import { runGenerator } from './run-generator';

/**
 * Writes each task's input reference, docs/tasks/<task>.inputs.md, from its task.json: a YAML outline, one table of
 * inputs per classic-editor group (input, label, type, default, required / visible when, help) and the output
 * variables. The hand-written guide beside it (docs/tasks/<task>.md) explains; this file lists, and never drifts.
 *
 *   node out/scripts/generate-task-docs.js            write the files
 *   node out/scripts/generate-task-docs.js --check    exit 1, naming each file that differs from what would be written
 *   --root <dir>                                      the repository root (default: this checkout)
 */

type TaskJson = Record<string, any>;
type Input = {
  name: string;
  type: string;
  label: string;
  defaultValue?: string | boolean;
  required?: boolean;
  groupName?: string;
  visibleRule?: string;
  helpMarkDown?: string;
  options?: Record<string, string>;
  properties?: Record<string, string | boolean>;
};

/** The input reference of every task, as it should be. */
export function taskDocs(root: string): GeneratedFile[] {
  return taskDirs(root).map((dir) => {
    const folder = path.basename(dir);
    const task = JSON.parse(fs.readFileSync(path.join(dir, 'task.json'), 'utf8').replace(/^\uFEFF/, ''));
    return { path: path.join(root, 'docs', 'tasks', `${folder}.inputs.md`), content: renderInputsDoc(task, folder) };
  });
}

export function renderInputsDoc(task: TaskJson, folder: string): string {
  const inputs: Input[] = task.inputs ?? [];
  const bound = new Set<string>((task.dataSourceBindings ?? []).map((b: TaskJson) => b.target));
  const { Major, Minor, Patch } = task.version;
  const lines = [
    `<!-- Generated from tasks/${folder}/task.json by \`npm run gen\`; do not edit. Change task.json and run \`npm run gen\`. -->`,
    '',
    `# ${task.name}@${Major}: inputs and outputs`,
    '',
    `**${task.friendlyName}** (version ${Major}.${Minor}.${Patch}). ${task.description}`,
    '',
    '## YAML',
    '',
    'Every input with its default; the required ones without a default are marked.',
    '',
    '```yaml',
    `- task: ${task.name}@${Major}`,
    '  inputs:',
    ...yamlOutline(inputs),
    '```',
    '',
    '## Inputs',
  ];
  for (const group of groupsInOrder(task, inputs)) {
    lines.push('', `### ${group.displayName}`, '', '| input | label | type | default | required / visible when | help |', '|---|---|---|---|---|---|');
    for (const input of group.inputs) {
      lines.push(row([code(input.name), cell(input.label), typeOf(input, bound.has(input.name)), defaultOf(input), when(input), cell(input.helpMarkDown ?? '')]));
    }
  }
  lines.push('', '## Output variables', '');
  const outputs: TaskJson[] = task.outputVariables ?? [];
  if (outputs.length === 0) {
    lines.push('None.');
  } else {
    lines.push(`Give the step a \`name:\` and read them as \`$(<step name>.<variable>)\` in later steps of the job.`, '');
    lines.push('| variable | description |', '|---|---|', ...outputs.map((o) => row([code(o.name), cell(o.description ?? '')])));
  }
  return lines.join('\n') + '\n';
}

/** The docs that differ from what is on disk (or are missing), as paths relative to root. */
export function findDocsDrift(root: string): string[] {
  return taskDocs(root)
    .filter((file) => (fs.existsSync(file.path) ? fs.readFileSync(file.path, 'utf8').replace(/\r\n/g, '\n') : undefined) !== file.content)
    .map((file) => path.relative(root, file.path).split(path.sep).join('/'));
}

/** Writes every task's input reference; returns the paths (relative to root) that changed. */
export function writeTaskDocs(root: string): string[] {
  const changed = findDocsDrift(root);
  for (const file of taskDocs(root)) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, file.content);
  }
  return changed;
}

function groupsInOrder(task: TaskJson, inputs: Input[]): { displayName: string; inputs: Input[] }[] {
  const groups: { name?: string; displayName: string }[] = [...(task.groups ?? [])];
  // Inputs without a group show first in the classic editor.
  const ungrouped = inputs.filter((i) => !i.groupName || !groups.some((g) => g.name === i.groupName));
  const result = ungrouped.length ? [{ displayName: 'General', inputs: ungrouped }] : [];
  for (const group of groups) {
    const members = inputs.filter((i) => i.groupName === group.name);
    if (members.length) result.push({ displayName: group.displayName, inputs: members });
  }
  return result;
}

function yamlOutline(inputs: Input[]): string[] {
  const entries = inputs.map((input) => {
    const value = String(input.defaultValue ?? '');
    const notes = [
      input.required && value === '' ? 'required' : '',
      input.options ? Object.keys(input.options).join(' | ') : '',
      input.visibleRule ? `when ${readableRule(input.visibleRule, false)}` : '',
    ].filter(Boolean);
    return { text: `    ${input.name}: ${yamlScalar(value)}`, note: notes.join('; ') };
  });
  const width = Math.max(...entries.map((e) => e.text.length)) + 2;
  return entries.map((e) => (e.note ? `${e.text.padEnd(width)}# ${e.note}` : e.text));
}

function yamlScalar(value: string): string {
  if (value === '') return "''";
  // Plain when YAML reads it back as the same text (or as the boolean / number the agent receives as that text).
  return /^[A-Za-z0-9$(][A-Za-z0-9$()._\/-]*$/.test(value) && !/^(null|~|yes|no|on|off)$/i.test(value) ? value : JSON.stringify(value);
}

function typeOf(input: Input, bound: boolean): string {
  if (input.type.startsWith('connectedService:')) return `service connection (\`${input.type.slice('connectedService:'.length)}\`)`;
  if (input.type === 'pickList' && input.options) return `one of ${Object.keys(input.options).map(code).join(', ')}`;
  if (input.type === 'pickList' && bound) return 'text, with a picker in the classic editor';
  const names: Record<string, string> = { multiLine: 'text, one item per line', string: 'text', int: 'whole number', boolean: '`true` or `false`', pickList: 'text' };
  return names[input.type] ?? code(input.type);
}

function defaultOf(input: Input): string {
  const value = String(input.defaultValue ?? '');
  return value === '' ? '' : code(value);
}

function when(input: Input): string {
  const required = input.required ? 'required' : 'optional';
  return input.visibleRule ? `${required}; only when ${readableRule(input.visibleRule, true)}` : required;
}

/** `match = runNumber || match = tag` -> `match` is `runNumber` or `tag`; other rules clause by clause. */
function readableRule(rule: string, markdown: boolean): string {
  const mark = (text: string) => (markdown ? code(text) : text);
  const alternatives = rule.split('||').map((clause) => /^\s*(\w+)\s*==?\s*(\S+)\s*$/.exec(clause));
  if (alternatives.every((m) => m && m[1] === alternatives[0]![1])) {
    const values = alternatives.map((m) => mark(m![2]));
    const list = values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0];
    return `${mark(alternatives[0]![1])} is ${list}`;
  }
  return rule
    .split(/\s*(&&|\|\|)\s*/)
    .map((part) => {
      if (part === '&&') return 'and';
      if (part === '||') return 'or';
      const clause = /^(\w+)\s*(!=|==|=)\s*(.*)$/.exec(part.trim());
      if (!clause) return markdown ? code(part.trim()) : part.trim();
      const [, name, op, value] = clause;
      const verb = op === '!=' ? 'is not' : 'is';
      return markdown ? `${code(name)} ${verb} ${code(value)}` : `${name} ${verb} ${value}`;
    })
    .join(' ');
}

function code(text: string): string {
  return `\`${text.replace(/\|/g, '\\|')}\``;
}

/** Text for a table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

if (require.main === module) {
  process.exitCode = runGenerator({ name: 'generate-task-docs', what: 'Input references', findDrift: findDocsDrift, write: writeTaskDocs, count: (root) => taskDirs(root).length }, process.argv.slice(2));
}
