import { PipelineRef } from './pipeline-ref';

/** A reference tied to a definition that exists, in a project that exists. */
export interface ResolvedRef {
  ref: PipelineRef;
  /** The reference as written; how every message names it. */
  label: string;
  kind: 'yaml' | 'release';
  project: string;
  definitionId: number;
  definitionName: string;
  /** The definition's folder, "\" for the root. */
  path: string;
  /** The stage identifier (YAML) or environment name (classic), spelled as the service spells it. */
  stage?: string;
  /** A classic environment's id in the release definition (definitionEnvironmentId). */
  environmentId?: number;
}
