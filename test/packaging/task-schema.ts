import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';

/**
 * Validates a task.json against the official schema. tasks.schema.json beside this file is copied unchanged from
 * microsoft/azure-pipelines-task-lib (MIT, Copyright (c) Microsoft Corporation).
 *
 * The schema is draft-04, which ajv 8 no longer reads (that needs the ajv-draft-04 package). It uses no keyword
 * whose meaning changed after draft-04 (no exclusiveMinimum/Maximum, no nested ids), so it is compiled as draft-07
 * after dropping its top-level `$schema` and draft-04 `id`; the test below checks that this stays true.
 */
export function loadTaskSchema(): Record<string, unknown> {
  const text = fs.readFileSync(path.join(schemaDir(), 'tasks.schema.json'), 'utf8').replace(/^\uFEFF/, '');
  return JSON.parse(text);
}

export function draft04KeywordsIn(schema: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, at: string, inProperties: boolean) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const where = `${at}/${key}`;
      // Under "properties" keys are property names, not keywords.
      if (!inProperties && (key === 'exclusiveMinimum' || key === 'exclusiveMaximum' || (key === 'id' && at !== ''))) found.push(where);
      visit(value, where, key === 'properties' && !inProperties);
    }
  };
  visit(schema, '', false);
  return found;
}

export type TaskValidator = (task: unknown) => string[];

export function taskValidator(): TaskValidator {
  const { $schema: _draft, id: _id, ...schema } = loadTaskSchema();
  // Draft-04 patterns are plain ECMA-262 regular expressions; the schema's `^connectedService\:.+$` is invalid with
  // the `u` flag ajv 8 adds by default.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  return (task) => (validate(task) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`));
}

function schemaDir(): string {
  // Compiled tests run from out/test/packaging; the schema stays in test/packaging.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'packaging');
    if (fs.existsSync(path.join(candidate, 'tasks.schema.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('test/packaging/tasks.schema.json not found');
  }
}
