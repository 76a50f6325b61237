import { MessageChannel, Worker, type WorkerOptions } from 'node:worker_threads';
import { getLogger } from '@riffle/core';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const TYPESCRIPT = /\.[cm]?tsx?$/;
const log = getLogger('spawnWorker');
const warned = new Set<string>();

/** What the bootstrap of a new worker thread loads: compiled worker modules, or (null) the sources through tsx. */
type WorkerLoadPlan = { readonly modules: Readonly<Record<string, string>> } | null;

/**
 * Starts a worker thread running `entry` (a module URL). `workerData` reaches the entry as
 * `workerData.data`; when `data.jobModule` is a module URL the worker will import, it is loaded
 * together with the entry so that both share their modules.
 *
 * TypeScript entries (or job modules) run from compiled worker modules (see
 * `compileWorkerModules`): plain JavaScript, checked against the sources on every spawn and cached
 * on disk, which starts a thread several times faster than loading each module through tsx's
 * loader hooks in the thread. When the modules cannot be compiled faithfully, or with
 * `RIFFLE_WORKER_COMPILE=0`, the bootstrap registers tsx in the new thread instead. JavaScript
 * entries load directly. The thread starts at once; its bootstrap waits for the plan, so a check
 * or compilation overlaps the thread's own start.
 */
export function spawnWorker(entry: URL | string, data: unknown, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  const href = typeof entry === 'string' ? entry : entry.href;
  const jobModule = (data as { jobModule?: unknown } | null | undefined)?.jobModule;
  const modules = [href, ...(typeof jobModule === 'string' ? [jobModule] : [])];
  if (!modules.some((m) => TYPESCRIPT.test(m))) {
    return new Worker(BOOTSTRAP, { ...options, workerData: { entry: href, data } });
  }
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(BOOTSTRAP, {
    ...options,
    workerData: { entry: href, data, plan: port2 },
    transferList: [...(options.transferList ?? []), port2],
  });
  void loadPlan(modules).then((plan) => {
    port1.postMessage(plan satisfies WorkerLoadPlan);
    port1.close();
  });
  return worker;
}

async function loadPlan(modules: readonly string[]): Promise<WorkerLoadPlan> {
  if (process.env.RIFFLE_WORKER_COMPILE === '0' || !modules.every((m) => m.startsWith('file:'))) return null;
  try {
    // Loaded on first use: processes that never start a worker never load esbuild.
    const { compileWorkerModules } = await import('./worker-modules.js');
    const compiled = await compileWorkerModules(modules);
    if (compiled.built) log.debug(`compiled ${modules.join(', ')} for worker threads`);
    return { modules: compiled.modules };
  } catch (e) {
    const key = modules.join(', ');
    if (!warned.has(key)) {
      warned.add(key);
      log.warn(`worker threads load ${key} through tsx, which starts them slower: ${String(e)}`);
    }
    return null;
  }
}
