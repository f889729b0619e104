import { PipelineRef } from './pipeline-ref';
import type { PipelineIdentity } from './pipeline-identity';

/** A reference tied to a definition that exists, in a project that exists. */
export interface ResolvedRef extends PipelineIdentity {
  ref: PipelineRef;
  /** The reference as written; how every message names it. */
  label: string;
  /** The definition's folder, "\" for the root. */
  path: string;
  /** The project's id, when the definitions list carried it. */
  projectId?: string;
  /** The stage identifier (YAML) or environment name (classic), spelled as the service spells it. */
  stage?: string;
  /** A classic environment's id in the release definition (definitionEnvironmentId). */
  environmentId?: number;
  /**
   * A classic environment's queuing policy (Deployment queue settings): concurrencyCount 0 = unlimited parallel
   * deployments; with a limit, queueDepthCount 0 = deploy all in sequence, 1 = deploy the latest and cancel the others.
   */
  environmentPolicy?: { concurrencyCount?: number; queueDepthCount?: number };
}
