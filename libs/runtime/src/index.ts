export * from './graph/stream-graph.js';
export * from './operators/abstract-stream-operator.js';
export * from './client/job-client.js';
export * from './client/execution-context.js';
export * from './util/spawn-worker.js';
export * from './client/services.js';
export * from './client/default-executor.js';
export * from './graph/job-graph.js';
export * from './graph/job-graph-fingerprint.js';
export * from './graph/job-graph-validation.js';
export * from './graph/operator-uid.js';
export * from './graph/streaming-job-graph-generator.js';
export * from './lifecycle/state-machine.js';
export * from './lifecycle/job-state.js';
export * from './lifecycle/execution-state.js';
export * from './lifecycle/slot-state.js';
export * from './sources/index.js';
export * from './client/job-definition.js';
export * from './rpc/messages.js';
export * from './rpc/gateways.js';
export * from './resourcemanager/resource-manager.js';
export * from './dispatcher/dispatcher.js';
export * from './jobmaster/job-master.js';
export * from './taskexecutor/task-executor.js';
export * from './minicluster/mini-cluster.js';
export * from './network/index.js';

import { setDefaultExecutorFactory } from './client/default-executor.js';
import { LocalExecutor } from './minicluster/mini-cluster.js';

// Without a runner-provided executor, `execute()` runs the job on a local MiniCluster.
setDefaultExecutorFactory(() => new LocalExecutor());
export * from './tasks/processing-time-service.js';
export * from './timers/internal-timer-service.js';
export * from './state/keyed-runtime-context.js';
export * from './tasks/runtime-context.js';
export * from './tasks/mailbox.js';
export * from './tasks/operator-error.js';
export * from './state/checkpointed-function.js';
