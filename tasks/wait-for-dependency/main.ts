import * as tl from 'azure-pipelines-task-lib/task';
import { runTask } from '../host/run-task';

// Placeholder until the core lands: fail plainly instead of pretending that every dependency is ready.
runTask(async () => {
  throw new Error(tl.loc('Error_NotImplemented', 'WaitForDependency@1'));
});
