import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { repoRoot } from '../../emulator/agent/agent-harness';
import { checkTaskStep, taskManifests, taskSteps } from './task-steps';

const root = repoRoot();
const samplesDir = path.join(root, 'samples');
/** The train in deployment order; each pipeline is samples/<name>.yml. */
const members = ['db-migrations', 'api', 'web'];
/** The variables template that holds the train: its gate and participants, written once. */
const trainTemplate = 'train.yml';
/** The pipeline that rolls a train back by hand, given the train's commit. */
const manualRollback = 'rollback.yml';
/** The stage condition that keeps every run but main's from deploying. */
const onMain = "eq(variables['Build.SourceBranch'], 'refs/heads/main')";
type Json = Record<string, any>;

const readSample = (file: string) => parseDocument(fs.readFileSync(path.join(samplesDir, file), 'utf8')).toJS() as Json;

/**
 * A pipeline as Azure Pipelines compiles it, as far as the samples need: each `- template:` entry of its variables
 * is read from beside it, and every `${{ variables.X }}` in it takes that variable's value.
 */
function compile(file: string): Json {
  const pipeline = readSample(file);
  const values = new Map<string, string>();
  for (const entry of [pipeline.variables ?? []].flat() as Json[]) {
    const defined = entry.template ? [readSample(entry.template).variables].flat() : [entry];
    for (const v of defined as Json[]) if (v.name !== undefined) values.set(v.name, String(v.value));
  }
  const expand = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(expand);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expand(v)]));
    if (typeof node !== 'string') return node;
    const whole = /^\$\{\{\s*variables\.(\w+)\s*\}\}$/.exec(node);
    if (whole) {
      if (!values.has(whole[1])) throw new Error(`${file}: variable ${whole[1]} is not defined`);
      return values.get(whole[1]);
    }
    return node;
  };
  return expand(pipeline) as Json;
}

function loadSamples(): Map<string, Json> {
  return new Map(members.map((name) => [name, compile(`${name}.yml`)]));
}

interface Stage {
  name: string;
  dependsOn: string[];
  condition?: string;
  /** Lockstep task steps in the stage. */
  tasks: Json[];
}

/** A pipeline's stages; a stage without dependsOn depends on the one before it, as in Azure Pipelines. */
function stagesOf(pipeline: Json): Stage[] {
  return (pipeline.stages as Json[]).map((stage, i, all) => ({
    name: stage.stage,
    dependsOn: stage.dependsOn === undefined ? (i > 0 ? [all[i - 1].stage] : []) : [stage.dependsOn].flat(),
    condition: stage.condition,
    tasks: taskSteps(stage.jobs).map((s) => s.step),
  }));
}

/** Whether a stage's dependsOn leads, directly or through other stages, to `before`. */
function runsAfter(stages: Stage[], stage: Stage, before: string): boolean {
  const seen = new Set<string>();
  const walk = (s: Stage): boolean =>
    s.dependsOn.some((name) => {
      if (name === before) return true;
      if (seen.has(name)) return false;
      seen.add(name);
      const next = stages.find((x) => x.name === name);
      return next !== undefined && walk(next);
    });
  return walk(stage);
}

/** The stages that hold a deployment job: they change what an environment runs. */
const deploysSomething = (pipeline: Json, stage: string) => ((pipeline.stages as Json[]).find((s) => s.stage === stage)?.jobs as Json[]).some((j) => j.deployment !== undefined);
/** A stage's conditions with its own spaces taken out, so `failed( 'X' )` reads as `failed('X')`. */
const squeezed = (condition: unknown) => String(condition ?? '').replace(/\s+/g, '');

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const tasksNamed = (stage: Stage, prefix: string) => stage.tasks.filter((t) => t.task.startsWith(`${prefix}@`));
const stageNamed = (pipelines: Map<string, Json>, member: string, stage: string) => stagesOf(pipelines.get(member)!).find((s) => s.name === stage);

/**
 * What must finish before what, across the pipelines: a stage waits for the stages it depends on, for the stages its
 * WaitForDependency names, and (at a gate) for every other participant to arrive; a participant arrives when the
 * stages before its gate stage, and the waits inside that stage, are done. Returns the first cycle found, or none.
 */
function waitCycle(pipelines: Map<string, Json>): string[] | undefined {
  const edges = new Map<string, string[]>();
  const add = (from: string, to: string) => edges.set(from, [...(edges.get(from) ?? []), to]);
  const waitsOf = (member: string, stage: Stage) =>
    tasksNamed(stage, 'WaitForDependency').flatMap((t) => lines(t.inputs.dependencies)).map((ref) => {
      const [pipeline, target] = ref.split('@');
      return target ? [`${pipeline}/${target}`] : stagesOf(pipelines.get(pipeline)!).map((s) => `${pipeline}/${s.name}`);
    }).flat();
  for (const [member, pipeline] of pipelines) {
    for (const stage of stagesOf(pipeline)) {
      const node = `${member}/${stage.name}`;
      for (const before of stage.dependsOn) add(node, `${member}/${before}`);
      for (const target of waitsOf(member, stage)) add(node, target);
      for (const gate of tasksNamed(stage, 'SyncGate')) {
        for (const other of lines(gate.inputs.participants).filter((p) => p !== member)) add(node, `${other} arrives at ${gate.inputs.gate}`);
        const arrival = `${member} arrives at ${gate.inputs.gate}`;
        for (const before of stage.dependsOn) add(arrival, `${member}/${before}`);
        for (const target of waitsOf(member, stage)) add(arrival, target);
      }
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): string[] | undefined => {
    if (state.get(node) === 'open') return [...trail.slice(trail.indexOf(node)), node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'open');
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next, [...trail, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the sample release train (samples/*.yml)', () => {
  const pipelines = loadSamples();

  it('parses as YAML without errors, warnings or duplicate keys', () => {
    for (const file of fs.readdirSync(samplesDir).filter((f) => f.endsWith('.yml'))) {
      const doc = parseDocument(fs.readFileSync(path.join(samplesDir, file), 'utf8'), { uniqueKeys: true });
      assert.deepEqual([...doc.errors, ...doc.warnings].map((e) => e.message), [], file);
    }
  });

  it("uses each Lockstep task only with inputs its task.json declares, values it accepts, and every required input that applies", () => {
    const manifests = taskManifests(root);
    let checked = 0;
    for (const [name, pipeline] of pipelines) {
      for (const { at, step } of taskSteps(pipeline)) {
        assert.deepEqual(checkTaskStep(step, manifests), [], `${name}.yml ${at}`);
        checked++;
      }
    }
    assert.equal(checked, 3 + 3 + 3 + 2, 'three gates, three readiness checks, three rollbacks and two waits');
  });

  it('catches a misspelt input, a value outside a pick list, a non-number and a missing required input', () => {
    const manifests = taskManifests(root);
    const gate = { task: 'SyncGate@1', inputs: { gates: 'prod', trainMatch: 'sha', quorum: 'all', participants: 'api' } };
    assert.deepEqual(checkTaskStep(gate, manifests), [
      "SyncGate@1: input 'gates' does not exist",
      "SyncGate@1: trainMatch: 'sha' is not one of commit, runNumber, tag",
      "SyncGate@1: quorum: 'all' is not a whole number",
      "SyncGate@1: required input 'gate' has no value",
    ]);
    const rollback = { task: 'CoordinatedRollback@1', inputs: { participants: 'api@Prod', templateParameters: '{}', dryRun: 'yes' } };
    assert.deepEqual(checkTaskStep(rollback, manifests), [
      "CoordinatedRollback@1: dryRun: 'yes' is not true or false",
      'CoordinatedRollback@1: templateParameters is set but only applies when strategy = queueRun',
    ]);
    assert.deepEqual(checkTaskStep({ task: 'WaitForDependency@2', inputs: {} }, manifests), ["'WaitForDependency@2': the task's major version is 1"]);
  });

  it("builds, then deploys to Prod in every member; api and web first wait, in a stage of their own, for the earlier members' Prod stage of the same commit", () => {
    for (const [i, name] of members.entries()) {
      const stages = stagesOf(pipelines.get(name)!);
      const waiting = i === 0 ? [] : ['WaitForDependencies'];
      assert.deepEqual(stages.map((s) => s.name), ['Build', 'Readiness', ...waiting, 'Prod', 'Gate', 'SwitchTraffic', 'Rollback'], name);
      const waits = stages.flatMap((s) => tasksNamed(s, 'WaitForDependency'));
      if (i === 0) {
        assert.equal(waits.length, 0, `${name} waits for nobody`);
        continue;
      }
      assert.equal(waits.length, 1, name);
      assert.equal(tasksNamed(stages.find((s) => s.name === 'WaitForDependencies')!, 'WaitForDependency').length, 1, name);
      assert.deepEqual(stages.find((s) => s.name === 'Prod')!.dependsOn, ['WaitForDependencies'], name);
      assert.deepEqual(lines(waits[0].inputs.dependencies), members.slice(0, i).map((earlier) => `${earlier}@Prod`), name);
      assert.equal(waits[0].inputs.match ?? 'sameCommit', 'sameCommit', name);
    }
  });

  it('meets at gate prod, every member naming the same train and all three members, before switching traffic', () => {
    for (const name of members) {
      const stages = stagesOf(pipelines.get(name)!);
      const gates = stages.flatMap((s) => tasksNamed(s, 'SyncGate').map((t) => ({ stage: s.name, inputs: t.inputs })));
      assert.equal(gates.length, 1, name);
      assert.equal(gates[0].stage, 'Gate', name);
      assert.equal(gates[0].inputs.gate, 'prod', name);
      assert.equal(gates[0].inputs.train, '$(Build.SourceVersion)', name);
      assert.equal(gates[0].inputs.trainMatch, 'commit', name);
      assert.deepEqual(lines(gates[0].inputs.participants).sort(), [...members].sort(), name);
      assert.deepEqual(stages.find((s) => s.name === 'SwitchTraffic')!.dependsOn, ['Gate'], name);
    }
  });

  it('rolls every member back from a stage that runs only when switching failed, in deployment order, re-running stages without a gate', () => {
    for (const name of members) {
      const rollbackStage = stagesOf(pipelines.get(name)!).find((s) => s.name === 'Rollback')!;
      assert.deepEqual(rollbackStage.dependsOn, ['SwitchTraffic'], name);
      const [rollback, ...more] = tasksNamed(rollbackStage, 'CoordinatedRollback');
      assert.equal(more.length, 0, name);
      const participants = lines(rollback.inputs.participants);
      assert.deepEqual(participants.map((p) => p.split('@')[0]), members, `${name}: participants in deployment order`);
      assert.equal(rollback.inputs.train, '$(Build.SourceVersion)', name);
      for (const participant of participants) {
        const [member, stageName] = participant.split('@');
        const target = stageNamed(pipelines, member, stageName);
        assert.ok(target, `${name}: ${participant} names no stage of samples/${member}.yml`);
        // Re-running an earlier run's stage that holds a gate would wait at the gate of that earlier train.
        assert.equal(tasksNamed(target, 'SyncGate').length, 0, `${name}: ${participant} holds a gate`);
      }
    }
  });

  it("checks at the start of every member's release that the train could roll back: a dry-run CoordinatedRollback with its rollback's train and participants, before its first deploy stage", () => {
    for (const [name, pipeline] of pipelines) {
      const stages = stagesOf(pipeline);
      const rollbacks = stages.flatMap((s) => tasksNamed(s, 'CoordinatedRollback').map((t) => ({ stage: s, inputs: t.inputs as Json })));
      const readiness = rollbacks.filter((r) => String(r.inputs.dryRun) === 'true');
      const real = rollbacks.filter((r) => String(r.inputs.dryRun ?? 'false') === 'false');
      assert.equal(readiness.length, 1, `${name}: one readiness check (dryRun: true)`);
      assert.equal(real.length, 1, `${name}: one rollback that acts`);
      const [check] = readiness;
      // What is checked depends on these: the same members, the same train, the same steps (strategy, cancelInFlight).
      for (const input of ['train', 'trainMatch', 'strategy', 'cancelInFlight']) {
        assert.equal(String(check.inputs[input]), String(real[0].inputs[input]), `${name}: readiness ${input}`);
      }
      assert.deepEqual(lines(check.inputs.participants), lines(real[0].inputs.participants), `${name}: readiness participants`);
      // At the start of the release: it runs whatever happened before it, deploys nothing itself, and every stage
      // that deploys waits for it, so a check that fails stops the release before anything is deployed.
      assert.equal(check.stage.condition, undefined, `${name}: the readiness stage has no condition`);
      assert.equal(deploysSomething(pipeline, check.stage.name), false, `${name}: the readiness stage deploys nothing`);
      const deploying = stages.filter((s) => deploysSomething(pipeline, s.name));
      assert.ok(deploying.length > 0, name);
      for (const stage of deploying) assert.ok(runsAfter(stages, stage, check.stage.name), `${name}: ${stage.name} does not wait for ${check.stage.name}`);
    }
  });

  it("gives every job that runs a Lockstep task more time than the task's own timeout, and no more than the free tier's 60 minutes, so the task reports before the agent cancels it", () => {
    for (const [name, pipeline] of [...pipelines, [manualRollback, compile(manualRollback)] as const]) {
      for (const stage of pipeline.stages as Json[]) {
        for (const job of stage.jobs as Json[]) {
          for (const { step } of taskSteps(job)) {
            // Azure Pipelines' default job timeout is 60 minutes.
            const jobMinutes = job.timeoutInMinutes ?? 60;
            assert.ok(jobMinutes > Number(step.inputs.timeoutMinutes ?? 50), `${name} ${stage.stage}/${job.job ?? job.deployment}: ${jobMinutes} minutes for ${step.task}`);
            // A Microsoft-hosted job of the free tier (private project) stops at 60 minutes, whatever the YAML says.
            assert.ok(jobMinutes <= 60, `${name} ${stage.stage}/${job.job ?? job.deployment}: ${jobMinutes} minutes`);
          }
        }
      }
    }
  });

  it('names only pipelines and stages of the samples in its waits', () => {
    for (const [name, pipeline] of pipelines) {
      for (const stage of stagesOf(pipeline)) {
        for (const ref of tasksNamed(stage, 'WaitForDependency').flatMap((t) => lines(t.inputs.dependencies))) {
          const [member, stageName] = ref.split('@');
          assert.ok(stageNamed(pipelines, member, stageName), `${name}: ${ref} is not a stage of samples/${member}.yml`);
        }
      }
    }
  });

  it('forms no cycle of waits across the three pipelines', () => {
    assert.equal(waitCycle(pipelines)?.join(' → '), undefined);
  });

  it('would deadlock with each gate inside its Prod stage, and the cycle check says so', () => {
    const gateInProd = loadSamples();
    for (const pipeline of gateInProd.values()) {
      const stages = pipeline.stages as Json[];
      const gate = stages.findIndex((s) => s.stage === 'Gate');
      stages.find((s) => s.stage === 'Prod')!.jobs.push(...stages[gate].jobs);
      stages.splice(gate, 1);
      stages.find((s) => s.stage === 'SwitchTraffic')!.dependsOn = 'Prod';
    }
    const cycle = waitCycle(gateInProd);
    assert.ok(cycle, 'no cycle found');
    // For example db-migrations/Prod → api arrives at prod → db-migrations/Prod: api waits in Prod before its gate.
    assert.match(cycle.join(' → '), /^(\S+)\/Prod → \S+ arrives at prod → .*\1\/Prod$/);
  });

  it('are each explained in samples/README.md', () => {
    const readme = fs.readFileSync(path.join(samplesDir, 'README.md'), 'utf8');
    const files = [...members.map((m) => `${m}.yml`), trainTemplate, manualRollback];
    for (const file of files) assert.ok(readme.includes(`(${file})`), `README.md does not link ${file}`);
    assert.deepEqual(fs.readdirSync(samplesDir).filter((f) => f.endsWith('.yml')).sort(), files.sort(), 'every sample is tested');
  });

  it('rolls back only when this run failed to switch traffic: the Rollback condition names SwitchTraffic, never a bare failed()', () => {
    for (const [name, pipeline] of pipelines) {
      for (const stage of stagesOf(pipeline)) {
        // A bare failed() is true after any earlier failure (a build, a deploy, a wait), and the rollback would
        // then cancel the other members mid-deploy.
        assert.doesNotMatch(squeezed(stage.condition), /failed\(\)/, `${name}: ${stage.name} has a bare failed()`);
      }
      const rollback = stagesOf(pipeline).find((s) => s.name === 'Rollback')!;
      assert.match(squeezed(rollback.condition), /(^|[(,])failed\('SwitchTraffic'\)/, `${name}: the Rollback condition`);
      assert.doesNotMatch(squeezed(rollback.condition), /^or\(|always\(\)|succeededOrFailed\(\)/, `${name}: the Rollback condition must need the failed switch`);
    }
  });

  it('deploys, meets, switches and rolls back only in runs of main: each such stage carries the main-branch condition', () => {
    for (const [name, pipeline] of pipelines) {
      const stages = stagesOf(pipeline);
      const guarded = stages.filter((s) => deploysSomething(pipeline, s.name) || ['WaitForDependencies', 'Gate', 'SwitchTraffic', 'Rollback'].includes(s.name));
      assert.ok(guarded.length >= 4, name);
      for (const stage of guarded) {
        const condition = squeezed(stage.condition);
        assert.ok(condition.includes(squeezed(onMain)), `${name}: ${stage.name} does not require main (${stage.condition ?? 'no condition'})`);
        assert.match(condition, /^and\(/, `${name}: ${stage.name}: main must be required, not one choice of several`);
      }
    }
  });

  it('waits and meets in stages that target no environment, so approvals come after the wait and no exclusive lock is held while waiting', () => {
    for (const [name, pipeline] of pipelines) {
      for (const stage of pipeline.stages as Json[]) {
        const waits = taskSteps(stage.jobs).filter(({ step }) => /^(WaitForDependency|SyncGate)@/.test(step.task));
        if (waits.length === 0) continue;
        const environments = (stage.jobs as Json[]).filter((j) => j.environment !== undefined).map((j) => j.environment);
        assert.deepEqual(environments, [], `${name}: ${stage.stage} waits (${waits.map((w) => w.step.task).join(', ')}) beside a deployment to an environment`);
      }
    }
  });

  it('deploys each member to an environment of its own, with sequential exclusive-lock behaviour', () => {
    for (const [name, pipeline] of pipelines) {
      for (const stage of (pipeline.stages as Json[]).filter((s) => deploysSomething(pipeline, s.stage))) {
        for (const job of (stage.jobs as Json[]).filter((j) => j.deployment !== undefined)) assert.equal(job.environment, `prod-${name}`, `${name}: ${stage.stage}`);
        assert.equal(stage.lockBehavior, 'sequential', `${name}: ${stage.stage}`);
      }
    }
  });

  it('writes the train once: the gate and participants come from train.yml, and no other file lists the members', () => {
    const listed = /^\s*db-migrations(@\w+)?\s*\n\s*api(@\w+)?\s*\n\s*web(@\w+)?\s*$/m;
    const withList = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.yml') && listed.test(fs.readFileSync(path.join(samplesDir, f), 'utf8')));
    assert.deepEqual(withList, [trainTemplate], 'files that list the members');
    for (const file of [...members.map((m) => `${m}.yml`), manualRollback]) {
      const raw = readSample(file);
      assert.ok([raw.variables ?? []].flat().some((v: Json) => v.template === trainTemplate), `${file} does not include ${trainTemplate}`);
      for (const { at, step } of taskSteps(raw)) {
        const from = (input: string, variable: string) => assert.equal(step.inputs?.[input], `\${{ variables.${variable} }}`, `${file} ${at} ${step.task} ${input}`);
        if (/^SyncGate@/.test(step.task)) {
          from('gate', 'lockstepGate');
          from('participants', 'lockstepParticipants');
        }
        if (/^CoordinatedRollback@/.test(step.task)) from('participants', 'lockstepRollbackParticipants');
      }
    }
  });

  it('rolls a train back by hand: rollback.yml takes the train as a parameter and runs a CoordinatedRollback its task.json accepts', () => {
    const pipeline = compile(manualRollback);
    assert.equal(pipeline.trigger, 'none', 'runs only when started by hand');
    const parameter = (pipeline.parameters as Json[]).find((p) => p.name === 'train');
    assert.equal(parameter?.type, 'string');
    assert.equal(parameter?.default, undefined, 'the train has no default: whoever runs it names it');
    const steps = taskSteps(pipeline);
    assert.deepEqual(steps.map((s) => s.step.task), ['CoordinatedRollback@1']);
    const [{ step }] = steps;
    assert.deepEqual(checkTaskStep(step, taskManifests(root)), []);
    assert.equal(step.inputs.train, '${{ parameters.train }}');
    assert.notEqual(String(step.inputs.dryRun ?? 'false'), 'true');
    // The same rollback as the members' Rollback stages.
    const memberRollback = taskSteps(pipelines.get('web')!).find((s) => s.step.task === 'CoordinatedRollback@1' && String(s.step.inputs.dryRun) === 'false')!.step;
    for (const input of ['trainMatch', 'participants', 'strategy', 'cancelInFlight', 'order']) assert.equal(step.inputs[input], memberRollback.inputs[input], input);
  });
});
