// Entry of every Riffle worker thread. When spawnWorker sends a plan port, waits for the plan:
// compiled worker modules (plain JavaScript: import them) or null (register tsx in this thread and
// import the sources). Without a port (a JavaScript entry and job module), imports the entry directly.
import { workerData } from 'node:worker_threads';

const planPort = workerData.plan;
const plan = planPort ? await new Promise((resolve) => planPort.once('message', resolve)) : null;
planPort?.close();
if (plan) {
  // Stack traces name the TypeScript sources, as they do through tsx (~25 ms per thread).
  process.setSourceMapsEnabled(true);
  // worker-main imports the job module from here (see jobModuleUrl in worker-main.ts).
  workerData.compiledModules = plan.modules;
  await import(plan.modules[workerData.entry]);
} else {
  if (planPort) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  await import(workerData.entry);
}
