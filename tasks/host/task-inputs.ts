import * as tl from 'azure-pipelines-task-lib/task';
import type { GetInput } from '../../src/inputs/input-reader';

/**
 * The core's GetInput on the agent. Never `required` here: the core's InputReader says what is missing in its own
 * words, and task-lib would throw its own message first.
 */
export const getTaskInput: GetInput = (name) => tl.getInput(name, false);
