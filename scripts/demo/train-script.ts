/**
 * The demo's pipelines as data: each member of the train is a sequence of stages, and each stage a sequence of steps —
 * scripted work (a duration, success or failure) or a real Lockstep task, run from its bundle as the agent runs it.
 */
export type TaskName = 'wait-for-dependency' | 'sync-gate' | 'coordinated-rollback';

export type Step =
  | { script: string; ms: number; fails?: boolean }
  | { task: TaskName; inputs: Record<string, string> }
  /** Never finishes by itself (an approval nobody gives): the member never arrives where it should. */
  | { hang: string };

export interface StageScript {
  name: string;
  steps: Step[];
  /** succeeded() (default): every earlier stage succeeded; failed(): an earlier stage failed. */
  condition?: 'succeeded' | 'failed';
}

export interface MemberScript {
  /** The pipeline's name (YAML) or the classic release pipeline's name. */
  name: string;
  kind: 'yaml' | 'release';
  /** YAML: the run's stages. Classic: one environment, whose name is the stage's. */
  stages: StageScript[];
}

export interface DemoScenario {
  name: string;
  /** One line for --help. */
  summary: string;
  members: MemberScript[];
  /** Emulator fault rules (the throttling storm). */
  faults?: Array<Record<string, unknown>>;
  /** What must have happened for the demo to exit 0, checked on the members' outcomes. */
  expect(outcome: Record<string, MemberOutcome>): string | undefined;
}

export interface MemberOutcome {
  /** Per stage: succeeded, failed, skipped. */
  stages: Record<string, string>;
  /** What each Lockstep task reported: its result and message. */
  tasks: Array<{ stage: string; task: TaskName; status: string; message: string; outputs: Record<string, string>; summary?: string }>;
}
