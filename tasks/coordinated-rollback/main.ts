import * as tl from 'azure-pipelines-task-lib/task';
import { runTask } from '../host/run-task';

// CoordinatedRollback has no core yet: say so and fail, rather than let a pipeline believe it rolled back.
runTask(async () => {
  throw new Error(tl.loc('Error_NotImplemented', 'CoordinatedRollback@1'));
});
