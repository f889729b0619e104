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
type Json = Record<string, any>;

function loadSamples(): Map<string, Json> {
  return new Map(members.map((name) => [name, parseDocument(fs.readFileSync(path.join(samplesDir, `${name}.yml`), 'utf8')).toJS() as Json]));
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
    for (const name of members) {
      const doc = parseDocument(fs.readFileSync(path.join(samplesDir, `${name}.yml`), 'utf8'), { uniqueKeys: true });
      assert.deepEqual([...doc.errors, ...doc.warnings].map((e) => e.message), [], name);
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

  it("builds, then deploys to Prod in every member; api and web first wait for the earlier members' Prod stage of the same commit", () => {
    for (const [i, name] of members.entries()) {
      const stages = stagesOf(pipelines.get(name)!);
      assert.deepEqual(stages.map((s) => s.name), ['Build', 'Readiness', 'Prod', 'Gate', 'SwitchTraffic', 'Rollback'], name);
      const waits = tasksNamed(stages.find((s) => s.name === 'Prod')!, 'WaitForDependency');
      if (i === 0) {
        assert.equal(waits.length, 0, `${name} waits for nobody`);
        continue;
      }
      assert.equal(waits.length, 1, name);
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
      assert.equal(rollbackStage.condition, 'failed()', name);
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

  it("gives every job that runs a Lockstep task more time than the task's own timeout, so the task reports before the agent cancels it", () => {
    for (const [name, pipeline] of pipelines) {
      for (const stage of pipeline.stages as Json[]) {
        for (const job of stage.jobs as Json[]) {
          for (const { step } of taskSteps(job)) {
            // Azure Pipelines' default job timeout is 60 minutes.
            const jobMinutes = job.timeoutInMinutes ?? 60;
            assert.ok(jobMinutes > Number(step.inputs.timeoutMinutes ?? 60), `${name}.yml ${stage.stage}/${job.job ?? job.deployment}: ${jobMinutes} minutes for ${step.task}`);
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
    for (const name of members) assert.ok(readme.includes(`(${name}.yml)`), `README.md does not link ${name}.yml`);
    const files = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.yml')).sort();
    assert.deepEqual(files, members.map((m) => `${m}.yml`).sort(), 'every sample is tested');
  });
});
