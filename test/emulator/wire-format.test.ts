/**
 * Every route's answer, as it travels, checked against the official 7.1 OpenAPI definitions with ajv.
 * The specs model lists as bare arrays while the wire is {count, value}; each item is validated.
 * Where the spec and the recorded service disagree, the service wins and the patch is named below.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { startEmulator, type Emulator } from '../../emulator';
import { raw, shopScenario } from './support';

// Official 7.1 specs, committed beside the tests (test/fixtures/rest-specs-7.1/README.md).
const SPECS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'rest-specs-7.1');
type Area = 'build' | 'release' | 'pipelines' | 'core';
type Schema = Record<string, unknown>;

function loadDefinitions(area: Area): Record<string, Schema> {
  // The spec files start with a UTF-8 byte-order mark.
  const text = readFileSync(join(SPECS, `${area}.json`), 'utf8').replace(/^\uFEFF/, '');
  return (JSON.parse(text) as { definitions: Record<string, Schema> }).definitions;
}

/** Swagger 2.0 has no nullable; the service writes explicit nulls in timeline records. */
function allowNulls(definition: Schema): Schema {
  const properties = definition.properties as Record<string, Schema>;
  const nullable = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, { anyOf: [v, { type: 'null' }] }]));
  return { ...definition, properties: nullable };
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
// Timeline records leave lastModified at .NET's default, written without a zone.
const UNSET_DATE = '0001-01-01T00:00:00';

function validators(): (area: Area, name: string) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => ISO_UTC.test(s) || s === UNSET_DATE });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  for (const f of ['int32', 'int64']) ajv.addFormat(f, { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const f of ['double', 'decimal']) ajv.addFormat(f, { type: 'number', validate: () => true });
  for (const f of ['byte', 'Stream', 'T', 'TimeSpan']) ajv.addFormat(f, { type: 'string', validate: () => true });
  const cache = new Map<string, ValidateFunction>();
  const areas = new Map<Area, Record<string, Schema>>();
  return (area, name) => {
    const key = `${area}/${name}`;
    if (!cache.has(key)) {
      if (!areas.has(area)) {
        const definitions = loadDefinitions(area);
        if (area === 'build') {
          definitions.TimelineRecord = allowNulls(definitions.TimelineRecord);
          definitions.TimelineAttempt = allowNulls(definitions.TimelineAttempt);
        }
        if (area === 'pipelines') {
          // The spec types template parameter values as objects; the service answers the strings it was given.
          const run = definitions.Run.properties as Record<string, Schema>;
          run.templateParameters = { type: 'object', additionalProperties: { type: 'string' } };
        }
        areas.set(area, definitions);
      }
      const schema = { $id: `urn:${area}:${name}`, definitions: areas.get(area), $ref: `#/definitions/${name}` };
      cache.set(key, ajv.compile(schema));
    }
    return cache.get(key)!;
  };
}

interface Case {
  route: string;
  method: string;
  path: string;
  body?: unknown;
  /** Definition the answer (or each list item) must match; 'string' for tag lists; undefined = no body. */
  schema?: [Area, string] | 'string';
  list?: boolean;
}

const P = '/lockstep/Shop/_apis';
const R = '/vsrm/lockstep/Shop/_apis/Release';

/** One request per route name (every route the emulator has). */
function cases(em: Emulator): Case[] {
  const staging = em.state.environment(31, 'Staging')!.id;
  const production = em.state.environment(31, 'Production')!.id;
  return [
    { route: 'projects.list', method: 'GET', path: '/lockstep/_apis/projects', schema: ['core', 'TeamProjectReference'], list: true },
    { route: 'projects.get', method: 'GET', path: '/lockstep/_apis/projects/Shop?includeCapabilities=true', schema: ['core', 'TeamProject'] },
    { route: 'buildDefinitions.list', method: 'GET', path: `${P}/build/definitions?includeLatestBuilds=true`, schema: ['build', 'BuildDefinitionReference'], list: true },
    { route: 'buildDefinitions.get', method: 'GET', path: `${P}/build/definitions/12`, schema: ['build', 'BuildDefinition'] },
    { route: 'builds.list', method: 'GET', path: `${P}/build/builds?properties=train`, schema: ['build', 'Build'], list: true },
    { route: 'builds.get', method: 'GET', path: `${P}/build/builds/103`, schema: ['build', 'Build'] },
    { route: 'builds.queue', method: 'POST', path: `${P}/build/builds`, body: { definition: { id: 13 }, templateParameters: { env: 'prod' } }, schema: ['build', 'Build'] },
    { route: 'builds.update', method: 'PATCH', path: `${P}/build/builds/202`, body: { status: 4 }, schema: ['build', 'Build'] },
    { route: 'timeline.get', method: 'GET', path: `${P}/build/builds/204/Timeline`, schema: ['build', 'Timeline'] },
    { route: 'stages.update', method: 'PATCH', path: `${P}/build/builds/204/stages/Test`, body: { state: 1, forceRetryAllJobs: false } },
    { route: 'builds.tags.list', method: 'GET', path: `${P}/build/builds/101/tags`, schema: 'string', list: true },
    { route: 'builds.tags.add', method: 'PUT', path: `${P}/build/builds/101/tags/a%2Fb`, body: null, schema: 'string', list: true },
    { route: 'builds.tags.addMany', method: 'POST', path: `${P}/build/builds/101/tags`, body: ['c', 'd'], schema: 'string', list: true },
    { route: 'builds.tags.update', method: 'PATCH', path: `${P}/build/builds/101/tags`, body: { tagsToAdd: ['e'], tagsToRemove: ['c'] }, schema: 'string', list: true },
    { route: 'builds.tags.delete', method: 'DELETE', path: `${P}/build/builds/101/tags/d`, schema: 'string', list: true },
    { route: 'builds.properties.get', method: 'GET', path: `${P}/build/builds/103/properties`, schema: ['build', 'PropertiesCollection'] },
    { route: 'builds.properties.update', method: 'PATCH', path: `${P}/build/builds/103/properties`, body: [{ op: 'add', path: '/x', value: 1 }], schema: ['build', 'PropertiesCollection'] },
    { route: 'leases.add', method: 'POST', path: `${P}/build/retention/leases`, body: [{ definitionId: 12, runId: 101, ownerId: 'x', daysValid: 1, protectPipeline: false }], schema: ['build', 'RetentionLease'], list: true },
    { route: 'leases.list', method: 'GET', path: `${P}/build/retention/leases?ownerId=x`, schema: ['build', 'RetentionLease'], list: true },
    { route: 'leases.get', method: 'GET', path: `${P}/build/retention/leases/1`, schema: ['build', 'RetentionLease'] },
    { route: 'leases.update', method: 'PATCH', path: `${P}/build/retention/leases/1`, body: { daysValid: 2 }, schema: ['build', 'RetentionLease'] },
    { route: 'builds.leases', method: 'GET', path: `${P}/build/builds/101/leases`, schema: ['build', 'RetentionLease'], list: true },
    { route: 'leases.delete', method: 'DELETE', path: `${P}/build/retention/leases?ids=1` },
    { route: 'pipelines.runs.list', method: 'GET', path: `${P}/pipelines/12/runs`, schema: ['pipelines', 'Run'], list: true },
    { route: 'pipelines.runs.get', method: 'GET', path: `${P}/pipelines/12/runs/202`, schema: ['pipelines', 'Run'] },
    { route: 'pipelines.runs.run', method: 'POST', path: `${P}/pipelines/12/runs`, body: { templateParameters: { env: 'prod' } }, schema: ['pipelines', 'Run'] },
    { route: 'release.definitions.list', method: 'GET', path: `${R}/definitions?$expand=2`, schema: ['release', 'ReleaseDefinition'], list: true },
    { route: 'release.definitions.get', method: 'GET', path: `${R}/definitions/3`, schema: ['release', 'ReleaseDefinition'] },
    { route: 'release.releases.list', method: 'GET', path: `${R}/releases?$expand=6`, schema: ['release', 'Release'], list: true },
    { route: 'release.releases.get', method: 'GET', path: `${R}/releases/31`, schema: ['release', 'Release'] },
    { route: 'release.releases.create', method: 'POST', path: `${R}/releases`, body: { definitionId: 4, artifacts: [{ alias: 'docs', instanceReference: { id: '101' } }] }, schema: ['release', 'Release'] },
    { route: 'release.environments.get', method: 'GET', path: `${R}/releases/31/environments/${production}`, schema: ['release', 'ReleaseEnvironment'] },
    { route: 'release.environments.update', method: 'PATCH', path: `${R}/releases/31/environments/${staging}`, body: { status: 2, comment: 'again' }, schema: ['release', 'ReleaseEnvironment'] },
    { route: 'release.tags.list', method: 'GET', path: `${R}/releases/31/tags`, schema: 'string', list: true },
    { route: 'release.tags.add', method: 'PATCH', path: `${R}/releases/31/tags/x%20y`, body: null, schema: 'string', list: true },
    { route: 'release.tags.addMany', method: 'POST', path: `${R}/releases/31/tags`, body: ['z'], schema: 'string', list: true },
    { route: 'release.tags.delete', method: 'DELETE', path: `${R}/releases/31/tags/z`, schema: 'string', list: true },
  ];
}

// Routes the 7.1 specs beside the tests do not describe (discovery, Security): checked for their envelope only.
const DISCOVERY: Case[] = [
  { route: 'location.options', method: 'OPTIONS', path: '/lockstep/_apis/Location', list: true },
  { route: 'build.options', method: 'OPTIONS', path: '/lockstep/_apis/build', list: true },
  { route: 'pipelines.options', method: 'OPTIONS', path: '/lockstep/_apis/pipelines', list: true },
  { route: 'core.options', method: 'OPTIONS', path: '/lockstep/_apis/core', list: true },
  { route: 'release.options', method: 'OPTIONS', path: '/vsrm/lockstep/_apis/Release', list: true },
  { route: 'options', method: 'OPTIONS', path: '/lockstep/_apis/git', list: true },
  { route: 'resourceAreas', method: 'GET', path: '/lockstep/_apis/ResourceAreas', list: true },
  { route: 'resourceAreas.get', method: 'GET', path: '/lockstep/_apis/ResourceAreas/efc2f575-36ef-48e9-b672-0c6fb4a48ac5' },
  { route: 'connectionData', method: 'GET', path: '/lockstep/_apis/connectionData' },
  { route: 'security.options', method: 'OPTIONS', path: '/lockstep/_apis/Security', list: true },
  { route: 'security.permissions', method: 'GET', path: '/lockstep/_apis/permissions/33344d9c-fc72-4d6f-aba5-fa317101a7e9/1?tokens=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c', list: true },
  {
    route: 'security.permissionEvaluationBatch', method: 'POST', path: '/lockstep/_apis/security/permissionevaluationbatch',
    body: { alwaysAllowAdministrators: false, evaluations: [{ securityNamespaceId: '33344d9c-fc72-4d6f-aba5-fa317101a7e9', token: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c', permissions: 1 }] },
  },
];

/** Every ISO date on the wire ends in Z (only the timeline's unset lastModified does not). */
function collectDates(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectDates(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectDates(v, out));
  return out;
}

describe('emulator: wire format against the Azure DevOps REST 7.1 specs', function () {
  let em: Emulator;
  let validate: ReturnType<typeof validators>;

  before(async function () {
    assert.ok(existsSync(SPECS), `the 7.1 specs are missing from ${SPECS}`);
    validate = validators();
    em = await startEmulator({ scenario: shopScenario() });
  });
  after(async () => em?.close());

  it('answers every route in the shape its 7.1 definition gives, lists in {count, value}', async () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const c of cases(em)) {
      const res = await raw(em, c.method, c.path, c.body === undefined ? {} : { body: JSON.stringify(c.body) });
      const logged = em.requests.at(-1)!;
      seen.add(logged.route);
      if (logged.route !== c.route) failures.push(`${c.method} ${c.path}: route ${logged.route}, expected ${c.route}`);
      if (!c.schema) {
        if (res.status !== 204) failures.push(`${c.route}: status ${res.status}, expected 204`);
        continue;
      }
      if (res.status !== 200) {
        failures.push(`${c.route}: status ${res.status} ${await res.text()}`);
        continue;
      }
      const body = await res.json() as Record<string, unknown>;
      let items: unknown[] = [body];
      if (c.list) {
        if (typeof body.count !== 'number' || !Array.isArray(body.value) || body.count !== body.value.length) {
          failures.push(`${c.route}: not a {count, value} envelope`);
          continue;
        }
        items = body.value;
        if (items.length === 0) failures.push(`${c.route}: empty list proves nothing`);
      }
      for (const [i, item] of items.entries()) {
        if (c.schema === 'string') {
          if (typeof item !== 'string') failures.push(`${c.route}[${i}]: not a string`);
          continue;
        }
        const check = validate(...c.schema);
        if (!check(item)) {
          failures.push(`${c.route}[${i}] vs ${c.schema[1]}: ${check.errors!.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
        }
        const zoneless = collectDates(item).filter((d) => !d.endsWith('Z') && d !== UNSET_DATE);
        if (zoneless.length > 0) failures.push(`${c.route}[${i}]: dates without Z: ${zoneless.join(', ')}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(seen.size, cases(em).length, 'one case per route');
  });

  it('answers the discovery routes, which the specs leave out, in their envelopes', async () => {
    for (const c of DISCOVERY) {
      const res = await raw(em, c.method, c.path, c.body === undefined ? {} : { body: JSON.stringify(c.body) });
      assert.equal(res.status, 200, c.route);
      assert.equal(em.requests.at(-1)?.route, c.route);
      const body = await res.json() as { count?: number; value?: unknown[] };
      if (c.list) assert.equal(body.count, body.value?.length, c.route);
    }
  });

  it('answers a timeline holding a waiting approval and a definition with queuing policies in their 7.1 shapes', async () => {
    const scenario = shopScenario();
    scenario.behaviour = { stageRetryApproval: true };
    scenario.projects[0].releaseDefinitions![0].environments = [{ name: 'Staging', concurrency: 0 }, { name: 'Production', queuePolicy: 'latestOnly' }];
    const other = await startEmulator({ scenario });
    try {
      const retried = await raw(other, 'PATCH', '/lockstep/Shop/_apis/build/builds/204/stages/Test', { body: JSON.stringify({ state: 1 }) });
      assert.equal(retried.status, 204);
      const timeline = await (await raw(other, 'GET', '/lockstep/Shop/_apis/build/builds/204/Timeline')).json() as { records: Array<{ type: string }> };
      assert.ok(timeline.records.some((r) => r.type === 'Checkpoint.Approval'));
      const check = validate('build', 'Timeline');
      assert.ok(check(timeline), JSON.stringify(check.errors?.slice(0, 5)));
      const definition = await (await raw(other, 'GET', '/vsrm/lockstep/Shop/_apis/Release/definitions/3')).json();
      const checkDefinition = validate('release', 'ReleaseDefinition');
      assert.ok(checkDefinition(definition), JSON.stringify(checkDefinition.errors?.slice(0, 5)));
    } finally {
      await other.close();
    }
  });
});
