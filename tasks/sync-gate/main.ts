import * as tl from 'azure-pipelines-task-lib/task';
import { runTask } from '../host/run-task';

// SyncGate has no core yet: say so and fail, rather than let a pipeline pass a gate nobody checked.
runTask(async () => {
  throw new Error(tl.loc('Error_NotImplemented', 'SyncGate@1'));
});
