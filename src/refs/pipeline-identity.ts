/**
 * A pipeline as Lockstep's references and records name it: a YAML pipeline (build definition) or a classic release
 * pipeline, by project, id and name. What a wait target, a gate member, a deadlock's step, a rollback step and the
 * view's member have in common.
 */
export interface PipelineIdentity {
  kind: 'yaml' | 'release';
  project: string;
  definitionId: number;
  definitionName: string;
}
