import { readWaitInputs } from '../../src/inputs/wait-inputs';
import { openApi } from '../../src/open-api';
import { waitForDependencies } from '../../src/polling/wait-for-dependencies';
import { readConnection } from '../host/connection';
import { readRunContext } from '../host/run-context';
import { runTask } from '../host/run-task';
import { getTaskInput } from '../host/task-inputs';

// WaitForDependency@1: inputs checked first, then one core call; runTask reports the one result.
runTask(async (host) => {
  const context = readRunContext();
  const settings = readWaitInputs(getTaskInput, context);
  const api = await openApi(readConnection(), host);
  return waitForDependencies(settings, api, host, context);
});
