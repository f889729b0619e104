import { DemoScenario, MemberOutcome, MemberScript, StageScript } from './train-script';

/** Seconds of policy time: the demo runs time faster (see main.ts), so these are what the pipelines "experience". */
const s = (seconds: number) => seconds * 1000;
const gateMembers = 'db-migrations\napi\nweb\nrelease:Legacy Web';
const rollbackMembers = 'db-migrations@Prod\napi@Prod\nweb@Prod\nrelease:Legacy Web@Production';

const gate = (timeoutMinutes = 10): StageScript => ({
  name: 'Gate',
  steps: [{ task: 'sync-gate', inputs: { gate: 'prod', participants: gateMembers, timeoutMinutes: String(timeoutMinutes) } }],
});
const rollbackStage: StageScript = {
  name: 'Rollback',
  condition: 'failed',
  steps: [{ task: 'coordinated-rollback', inputs: { participants: rollbackMembers, timeoutMinutes: '10' } }],
};

/** A YAML member: Build, Prod (optionally waiting first), Gate, Switch, Smoke, Rollback. */
function yamlMember(name: string, options: { waitFor?: string; buildSeconds: number; deploySeconds: number; smokeFails?: boolean; gateTimeout?: number }): MemberScript {
  const prod: StageScript = {
    name: 'Prod',
    steps: [
      ...(options.waitFor ? [{ task: 'wait-for-dependency' as const, inputs: { dependencies: options.waitFor, timeoutMinutes: '10' } }] : []),
      { script: `deploy ${name} 2.3.0`, ms: s(options.deploySeconds) },
    ],
  };
  return {
    name,
    kind: 'yaml',
    stages: [
      { name: 'Build', steps: [{ script: `build ${name}`, ms: s(options.buildSeconds) }] },
      prod,
      gate(options.gateTimeout),
      { name: 'Switch', steps: [{ script: 'switch traffic to 2.3.0', ms: s(5) }] },
      { name: 'Smoke', steps: [{ script: 'smoke test', ms: s(10), fails: options.smokeFails }] },
      rollbackStage,
    ],
  };
}

/** The classic member: one environment that deploys, then meets the others at the gate. */
function legacyWeb(options: { neverArrives?: boolean; gateTimeout?: number } = {}): MemberScript {
  return {
    name: 'Legacy Web',
    kind: 'release',
    stages: [
      {
        name: 'Production',
        steps: [
          { script: 'deploy Legacy Web 2.3.0', ms: s(30) },
          ...(options.neverArrives ? [{ hang: 'waiting for a manual approval nobody gives' }] : [gate(options.gateTimeout).steps[0]]),
        ],
      },
    ],
  };
}

/**
 * The train every story starts from: db-migrations, then api (waiting for db-migrations' Prod), then web (waiting for
 * api's Prod), and Legacy Web. A story changes what it needs to.
 */
function train(options: { apiWaitsFor?: string; webSmokeFails?: boolean; gateTimeout?: number; legacyNeverArrives?: boolean; rollback?: boolean } = {}): MemberScript[] {
  const { gateTimeout } = options;
  const members = [
    yamlMember('db-migrations', { buildSeconds: 20, deploySeconds: 30, gateTimeout }),
    yamlMember('api', { waitFor: options.apiWaitsFor ?? 'db-migrations@Prod', buildSeconds: 15, deploySeconds: 20, gateTimeout }),
    yamlMember('web', { waitFor: 'api@Prod', buildSeconds: 25, deploySeconds: 20, smokeFails: options.webSmokeFails, gateTimeout }),
    legacyWeb({ neverArrives: options.legacyNeverArrives, gateTimeout }),
  ];
  return options.rollback === false ? members.map((m) => ({ ...m, stages: m.stages.filter((st) => st.name !== 'Rollback') })) : members;
}

const allSucceeded = (o: Record<string, MemberOutcome>, stage: string) =>
  Object.entries(o)
    .filter(([, m]) => m.stages[stage] !== undefined && m.stages[stage] !== 'succeeded')
    .map(([name, m]) => `${name}: ${stage} ${m.stages[stage]}`)[0];

const taskOf = (o: Record<string, MemberOutcome>, member: string, task: string) => o[member]?.tasks.find((t) => t.task === task);

export const scenarios: DemoScenario[] = [
  {
    name: 'rollback',
    summary: "the whole story: api waits for db, all four meet at the prod gate, web's smoke test fails, everyone goes back to 2.2.0",
    members: train({ webSmokeFails: true }),
    expect: (o) => {
      const rollback = taskOf(o, 'web', 'coordinated-rollback');
      if (!rollback) return "web's Rollback stage did not run";
      if (rollback.status !== 'Succeeded') return `the rollback ended ${rollback.status}: ${rollback.message}`;
      const results = JSON.parse(rollback.outputs.result ?? '[]') as Array<{ status: string }>;
      return results.length === 4 && results.every((r) => r.status === 'rolledBack') ? undefined : `not every member was rolled back: ${rollback.outputs.result}`;
    },
  },
  {
    name: 'happy',
    summary: 'the happy path: the same train, every smoke test passes, nothing rolls back',
    members: train(),
    expect: (o) => allSucceeded(o, 'Smoke') ?? allSucceeded(o, 'Gate'),
  },
  {
    name: 'deadlock',
    summary: "a deadlock: api waits for web's Switch stage while web waits for api's Prod; both fail within two checks, printing the cycle",
    members: train({ apiWaitsFor: 'web@Switch', rollback: false }),
    expect: (o) => {
      for (const member of ['api', 'web']) {
        const wait = taskOf(o, member, 'wait-for-dependency');
        if (!wait || !/^Deadlock: /.test(wait.message)) return `${member} did not report the deadlock (${wait?.message ?? 'no wait ran'})`;
      }
      return undefined;
    },
  },
  {
    name: 'timeout',
    summary: 'a member timeout: Legacy Web never reaches the gate; the first member to time out names it and withdraws, the others stop at once, saying why',
    members: train({ gateTimeout: 2, legacyNeverArrives: true, rollback: false }),
    expect: (o) => {
      // The first to time out names the missing member; the others learn it from the record it leaves on its run.
      for (const member of ['db-migrations', 'api', 'web']) {
        const g = taskOf(o, member, 'sync-gate');
        if (!g || !/did not open after .*Missing: .*release:Legacy Web/.test(g.message)) return `${member}'s gate did not end naming Legacy Web as missing (${g?.message})`;
      }
      return undefined;
    },
  },
  {
    name: 'throttling',
    summary: 'a throttling storm: Azure DevOps answers 429 with Retry-After and bursts of 503; every task waits it out and the train still goes through',
    members: train(),
    faults: [
      { kind: 'throttle', route: 'builds.list', count: 12, retryAfterSeconds: 20 },
      { kind: 'error', route: 'timeline.get', status: 503, count: 6 },
      { kind: 'throttle', route: 'release.releases.list', count: 4, retryAfterSeconds: 15 },
    ],
    expect: (o) => allSucceeded(o, 'Smoke') ?? allSucceeded(o, 'Gate'),
  },
];
