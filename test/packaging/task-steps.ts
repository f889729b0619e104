import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Checks `- task: Name@Major` steps of Azure Pipelines YAML against the tasks' own task.json, as the agent would
 * hand them over: each input must be declared, its value must fit its type, and every required input that applies
 * (its visibleRule holds) must have a value, given or by default.
 */

type TaskJson = Record<string, any>;
export interface TaskStep {
  /** Where the step sits, e.g. `stages[2].jobs[0].steps[1]`. */
  at: string;
  step: Record<string, any>;
}

/** Every Lockstep task.json by its name (`SyncGate`). */
export function taskManifests(root: string): Map<string, TaskJson> {
  const tasks = path.join(root, 'tasks');
  const manifests = new Map<string, TaskJson>();
  for (const entry of fs.readdirSync(tasks, { withFileTypes: true })) {
    const file = path.join(tasks, entry.name, 'task.json');
    if (entry.isDirectory() && fs.existsSync(file)) {
      const task = JSON.parse(fs.readFileSync(file, 'utf8'));
      manifests.set(task.name, task);
    }
  }
  return manifests;
}

/** Every mapping with a `task` key, anywhere in a parsed pipeline (stages, jobs, deployment strategies, templates). */
export function taskSteps(node: unknown, at = ''): TaskStep[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => taskSteps(item, `${at}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, any>;
  const own = typeof record.task === 'string' ? [{ at, step: record }] : [];
  return [...own, ...Object.entries(record).flatMap(([key, value]) => taskSteps(value, at ? `${at}.${key}` : key))];
}

/** What is wrong with one step, one sentence each; empty when the step is right. */
export function checkTaskStep(step: Record<string, any>, manifests: Map<string, TaskJson>): string[] {
  const [, name, major] = /^(\w+)@(\d+)$/.exec(step.task) ?? [];
  const task = name ? manifests.get(name) : undefined;
  if (!task) return [`'${step.task}' is not a Lockstep task (${[...manifests.keys()].map((n) => `${n}@N`).join(', ')})`];
  if (Number(major) !== task.version.Major) return [`'${step.task}': the task's major version is ${task.version.Major}`];

  const problems: string[] = [];
  const given: Record<string, unknown> = step.inputs ?? {};
  const inputs = new Map<string, TaskJson>();
  for (const input of task.inputs) for (const key of [input.name, ...(input.aliases ?? [])]) inputs.set(key, input);
  const values: Record<string, string> = Object.fromEntries(task.inputs.map((i: TaskJson) => [i.name, String(i.defaultValue ?? '')]));
  for (const [key, value] of Object.entries(given)) {
    const input = inputs.get(key);
    if (!input) {
      problems.push(`${step.task}: input '${key}' does not exist`);
      continue;
    }
    const problem = valueProblem(input, value);
    if (problem) problems.push(`${step.task}: ${key}: ${problem}`);
    values[input.name] = String(value);
  }
  for (const input of task.inputs as TaskJson[]) {
    const applies = !input.visibleRule || visibleRuleHolds(input.visibleRule, values);
    // An empty value where the input does not apply is harmless; a real one suggests a misunderstanding.
    const set = Object.entries(given).some(([key, value]) => inputs.get(key) === input && String(value).trim() !== '');
    if (set && !applies) problems.push(`${step.task}: ${input.name} is set but only applies when ${input.visibleRule}`);
    if (input.required && applies && values[input.name].trim() === '') problems.push(`${step.task}: required input '${input.name}' has no value`);
  }
  return problems;
}

function valueProblem(input: TaskJson, value: unknown): string | undefined {
  if (value === null || typeof value === 'object') return `a ${input.type} cannot be ${JSON.stringify(value)}`;
  const text = String(value);
  const macro = /\$\(|\$\{\{|\$\[/.test(text);
  switch (input.type) {
    case 'boolean':
      return /^(true|false)$/.test(text) ? undefined : `'${text}' is not true or false`;
    case 'int':
      return /^-?\d+$/.test(text) ? undefined : `'${text}' is not a whole number`;
    case 'pickList':
    case 'radio':
      if (!input.options) return macro || input.properties?.EditableOptions === 'True' ? undefined : `'${text}' cannot be checked: no options`;
      return text in input.options ? undefined : `'${text}' is not one of ${Object.keys(input.options).join(', ')}`;
    default:
      return typeof value === 'string' ? undefined : `'${text}' should be text`;
  }
}

/** A classic-editor visibleRule (`a = x || a = y`, `b == true && c != z`) against input values; && binds tighter. */
export function visibleRuleHolds(rule: string, values: Record<string, string>): boolean {
  return rule.split('||').some((any) =>
    any.split('&&').every((clause) => {
      const match = /^\s*(\w+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(clause);
      if (!match) throw new Error(`Unsupported visibleRule clause '${clause}'`);
      const [, name, op, expected] = match;
      const equal = (values[name] ?? '').toLowerCase() === expected.replace(/^"(.*)"$/, '$1').toLowerCase();
      return op === '!=' ? !equal : equal;
    }),
  );
}
