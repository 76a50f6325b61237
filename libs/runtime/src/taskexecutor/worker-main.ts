import { parentPort, workerData } from 'node:worker_threads';
import { getLogger } from '@riffle/core';
import { COLLECT_SERVICE, type CollectService } from '../client/services.js';
import { getJobVertex, type JobGraph } from '../graph/job-graph.js';
import { streamGraphFingerprint } from '../graph/job-graph-fingerprint.js';
import type { StreamGraph } from '../graph/stream-graph.js';
import { createJobGraph } from '../graph/streaming-job-graph-generator.js';
import type { TaskEvent } from '../rpc/gateways.js';
import { serializeError, type TaskDeploymentDescriptor } from '../rpc/messages.js';
import { StreamTask, type TaskReporter } from '../tasks/stream-task.js';
import { captureStreamGraph } from './graph-capture.js';
import { WorkerNetwork } from './worker-network.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

/**
 * The main of a slot's worker thread: rebuilds the job's graph from the job module, then runs
 * the tasks deployed into the slot, each in its own mailbox loop, until the slot is freed.
 */
const log = getLogger('TaskSlot');
const init = (workerData as { data: WorkerInit }).data;
/**
 * The job module as this thread imports it: its compiled form when the thread runs from compiled
 * worker modules (set by util/worker-bootstrap.mjs), so that the job shares this thread's modules.
 */
const jobModuleUrl = (workerData as { compiledModules?: Record<string, string> }).compiledModules?.[init.jobModule] ?? init.jobModule;
const port = parentPort!;
const post = (msg: FromWorker): void => port.postMessage(msg);

const tasks = new Map<string, StreamTask>();
const network = new WorkerNetwork(init.allocationId);
let graph: StreamGraph | undefined;
let jobGraph: JobGraph | undefined;
const early: ToWorker[] = [];

port.on('message', (msg: ToWorker) => {
  if (!jobGraph && msg.kind !== 'peer' && msg.kind !== 'shutdown') {
    early.push(msg);
    return;
  }
  handle(msg);
});

function handle(msg: ToWorker): void {
  switch (msg.kind) {
    case 'peer':
      network.addPeer(msg.peerId, msg.port);
      break;
    case 'deploy':
      deploy(msg.tdd);
      break;
    case 'cancel':
      tasks.get(msg.executionId)?.cancel();
      break;
    case 'operator-event':
      tasks.get(msg.executionId)?.deliverOperatorEvent(msg.event);
      break;
    case 'checkpoint-event':
      tasks.get(msg.executionId)?.deliverCheckpointEvent(msg.event);
      break;
    case 'shutdown':
      for (const t of tasks.values()) t.cancel();
      void Promise.all([...running]).then(() => {
        const stats = network.environment.stats();
        network.close();
        post({ kind: 'shutdown-complete', network: stats });
        // Exit by running out of work rather than being terminated, so that everything the tasks
        // wrote to stdout/stderr reaches the main thread first.
        port.close();
      });
      break;
  }
}

const running = new Set<Promise<void>>();

function deploy(tdd: TaskDeploymentDescriptor): void {
  const vertex = getJobVertex(jobGraph!, tdd.vertexId);
  const reporter: TaskReporter = {
    state(state, error) {
      post({ kind: 'task-state', update: { jobId: tdd.jobId, executionId: tdd.executionId, state, error } });
    },
    event(event: TaskEvent) {
      post({ kind: 'task-event', executionId: tdd.executionId, vertexId: tdd.vertexId, event });
    },
  };
  const collect: CollectService = {
    send(collectId, values) {
      reporter.event({ kind: 'collect', collectId, values });
    },
  };
  const services = new Map<string, unknown>([[COLLECT_SERVICE, collect]]);
  const task = new StreamTask(tdd, vertex, jobGraph!, graph!, network, services, reporter);
  tasks.set(tdd.executionId, task);
  const run = task.run().finally(() => {
    tasks.delete(tdd.executionId);
    running.delete(run);
  });
  running.add(run);
}

try {
  graph = await captureStreamGraph(jobModuleUrl, init.params, init.defaultParallelism);
  const fingerprint = streamGraphFingerprint(graph);
  if (fingerprint !== init.fingerprint) {
    throw new Error(
      `the job module ${init.jobModule} built a different graph in the worker than on the client: ` +
        'building the graph must be deterministic and free of side effects (no randomness, dates or I/O while building)',
    );
  }
  jobGraph = createJobGraph(graph, init.jobId);
  post({ kind: 'ready' });
  for (const msg of early.splice(0)) handle(msg);
} catch (e) {
  log.error(`slot ${init.allocationId} could not load the job: ${String(e)}`);
  post({ kind: 'init-failed', error: serializeError(e) });
}
