import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { startEmulator } from '../../emulator';
import { repoRoot } from '../../emulator/agent/agent-harness';
import { renderTemplate, selectResults, type Context } from './binding-template';
import { loadTaskSchema } from './task-schema';

const root = repoRoot();
const taskNames = ['coordinated-rollback', 'sync-gate', 'wait-for-dependency'];
type TaskJson = Record<string, any>;
type Binding = Record<string, any>;
const readTask = (name: string): TaskJson => JSON.parse(fs.readFileSync(path.join(root, 'tasks', name, 'task.json'), 'utf8'));
const bindingsOf = (name: string): Binding[] => readTask(name).dataSourceBindings ?? [];

/** The endpoints a binding may call: this organization, its release management host, or a chosen service connection. */
const builtInEndpoints = ['tfs:teamfoundation', 'tfs:rm'];

function bindingValidator() {
  const schema = (loadTaskSchema() as TaskJson).properties.dataSourceBindings;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return (bindings: unknown) => (validate(bindings) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
}

/** `{{x}}`, `{{{x}}}` and helper arguments a template reads, without sections' own markers. */
function namesRead(template: string): string[] {
  return [...template.matchAll(/\{\{\{?([^{}]+?)\}?\}\}/g)]
    .map((m) => m[1].trim())
    .flatMap((expression) => (/^[#/]/.test(expression) ? [expression.slice(1)] : expression.split(/\s+/).slice(/^(add|isEqualNumber)$/.test(expression.split(/\s+/)[0]) ? 1 : 0)))
    .filter((name) => !/^-?\d+$/.test(name));
}

/**
 * Runs a binding the way the classic editor asks the server to: the URL filled from the endpoint, the parameters and
 * the paging context, the results picked and shaped, and the next page asked for while callbackRequiredTemplate says so.
 */
async function runBinding(binding: Binding, inputs: Record<string, string>, endpoint: { url: string; token: string }) {
  const parameters = Object.fromEntries(
    Object.entries<string>(binding.parameters ?? {}).map(([key, value]) => [key, value.replace(/\$\((\w+)\)/g, (_m, input: string) => inputs[input] ?? '')]),
  );
  let context: Context = { ...parameters, ...(binding.initialContextTemplate ? JSON.parse(renderTemplate(binding.initialContextTemplate, {})) : {}) };
  const results: { Value: string; DisplayValue: string }[] = [];
  for (let page = 0; page < 10; page++) {
    const url = renderTemplate(binding.endpointUrl, { ...context, endpoint: { url: endpoint.url } });
    const response = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(`:${endpoint.token}`).toString('base64')}` } });
    assert.equal(response.status, 200, `GET ${url}`);
    const body = (await response.json()) as { count?: number };
    results.push(...selectResults(binding.resultSelector, body).map((item) => JSON.parse(renderTemplate(binding.resultTemplate, item))));
    if (!binding.callbackRequiredTemplate) break;
    const headers = Object.fromEntries(response.headers.entries());
    const more = renderTemplate(binding.callbackRequiredTemplate, { ...context, headers, result: { count: body.count } });
    if (more.trim() !== 'true') break;
    context = { ...context, ...JSON.parse(renderTemplate(binding.callbackContextTemplate, { ...context, headers })) };
  }
  return results;
}

describe('the classic editor pickers (dataSourceBindings in tasks/*/task.json)', () => {
  it('give every task a project picker', () => {
    for (const name of taskNames) assert.ok(bindingsOf(name).some((b) => b.target === 'project'), `${name} has no project picker`);
  });

  it("match the official schema's shape for a binding", () => {
    const validate = bindingValidator();
    for (const name of taskNames) assert.deepEqual(validate(bindingsOf(name)), [], name);
  });

  it('reject a binding with a misspelled key or verb, so the shape check is real', () => {
    const broken = [{ ...bindingsOf('sync-gate')[0], endpointURL: 'x', RequestVerb: 'FETCH' }];
    assert.equal(bindingValidator()(broken).length, 2);
  });

  it('each fill an editable pick list of the same task, one binding per input, so variables can still be typed', () => {
    for (const name of taskNames) {
      const inputs = new Map<string, TaskJson>(readTask(name).inputs.map((input: TaskJson) => [input.name, input]));
      const targets = bindingsOf(name).map((b) => b.target);
      assert.equal(new Set(targets).size, targets.length, `${name}: two bindings fill one input`);
      for (const target of targets) {
        const input = inputs.get(target);
        assert.ok(input, `${name}: binding target '${target}' is not an input of the task`);
        assert.equal(input.type, 'pickList', `${name}.${target} is filled by a binding but is a ${input.type}`);
        assert.equal(input.properties?.EditableOptions, 'True', `${name}.${target} must accept a typed value or a variable`);
      }
    }
  });

  it("call this organization or its release host, and read only the endpoint, their parameters and their paging context", () => {
    for (const name of taskNames) {
      const inputs = new Set(readTask(name).inputs.map((input: TaskJson) => input.name));
      for (const binding of bindingsOf(name)) {
        const where = `${name} → ${binding.target}`;
        assert.ok(builtInEndpoints.includes(binding.endpointId), `${where}: endpoint ${binding.endpointId}`);
        assert.match(binding.endpointUrl, /^\{\{endpoint\.url\}\}\/_apis\/|^\{\{endpoint\.url\}\}\/\{\{\{?project\}?\}\}\/_apis\//, where);
        assert.match(binding.resultSelector, /^jsonpath:\$\./, where);
        for (const value of Object.values<string>(binding.parameters ?? {})) {
          for (const [, input] of value.matchAll(/\$\((\w+)\)/g)) assert.ok(inputs.has(input) || input === 'searchText', `${where}: parameter reads $(${input})`);
        }
        const paging = ['initialContextTemplate', 'callbackContextTemplate', 'callbackRequiredTemplate'].filter((key) => key in binding);
        assert.ok(paging.length === 0 || paging.length === 3, `${where}: paging needs all three templates, has ${paging.join(', ')}`);
        const contextKeys = paging.length ? Object.keys(JSON.parse(renderTemplate(binding.initialContextTemplate, {}))) : [];
        const known = new Set([...Object.keys(binding.parameters ?? {}), ...contextKeys]);
        for (const read of namesRead(binding.endpointUrl)) {
          assert.ok(read.startsWith('endpoint.') || known.has(read), `${where}: the URL reads {{${read}}}, which is neither a parameter nor paging context`);
        }
        for (const read of namesRead(binding.callbackContextTemplate ?? '')) {
          assert.ok(known.has(read) || read.startsWith('headers.'), `${where}: the callback context reads {{${read}}}`);
        }
        const shaped = JSON.parse(renderTemplate(binding.resultTemplate, { id: '1', name: 'Other Project' }));
        assert.deepEqual(Object.keys(shaped).sort(), ['DisplayValue', 'Value'], `${where}: resultTemplate`);
      }
    }
  });

  it("list the organization's well-formed projects by name, page after page, when run against the emulator", async function () {
    this.timeout(60_000);
    const names = Array.from({ length: 1001 }, (_, i) => `Team ${String(i + 1).padStart(4, '0')}`);
    const em = await startEmulator({ scenario: { startDate: '2026-03-02T09:00:00.000Z', projects: names.map((name) => ({ name })) } });
    try {
      for (const name of taskNames) {
        const binding = bindingsOf(name).find((b) => b.target === 'project')!;
        const before = em.requests.length;
        const picked = await runBinding(binding, {}, { url: em.collectionUrl, token: em.token });
        assert.deepEqual(picked.map((p) => p.Value), names, name);
        assert.deepEqual(picked.map((p) => p.DisplayValue), names, name);
        const asked = em.requests.slice(before).map((r) => `${r.route} ${JSON.stringify(r.query)}`);
        assert.deepEqual(asked, ['projects.list {"$skip":"0","$top":"1000"}', 'projects.list {"$skip":"1000","$top":"1000"}'], name);
      }
    } finally {
      await em.close();
    }
  });
});
