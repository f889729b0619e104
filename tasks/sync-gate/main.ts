import { syncGate } from '../../src/gate/sync-gate';
import { readGateInputs } from '../../src/inputs/gate-inputs';
import { openApi } from '../../src/open-api';
import { readConnection } from '../host/connection';
import { readRunContext } from '../host/run-context';
import { runTask } from '../host/run-task';
import { getTaskInput } from '../host/task-inputs';

// SyncGate@1: inputs checked first, then one core call; runTask reports the one result.
runTask(async (host) => {
  const context = readRunContext();
  const settings = readGateInputs(getTaskInput, context);
  const api = await openApi(readConnection(), host);
  return syncGate(settings, context, api, host);
});
