import { readRollbackInputs } from '../../src/inputs/rollback-inputs';
import { openApi } from '../../src/open-api';
import { coordinatedRollback } from '../../src/rollback/coordinated-rollback';
import { readConnection } from '../host/connection';
import { readRunContext } from '../host/run-context';
import { runTask } from '../host/run-task';
import { getTaskInput } from '../host/task-inputs';

// CoordinatedRollback@1: inputs checked first, then one core call; runTask reports the one result.
runTask(async (host) => {
  const context = readRunContext();
  const settings = readRollbackInputs(getTaskInput, context);
  const api = await openApi(readConnection(), host);
  return coordinatedRollback(settings, context, api, host);
});
