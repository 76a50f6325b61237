import { Worker, type WorkerOptions } from 'node:worker_threads';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * Starts a worker thread running `entry` (a module URL). TypeScript entries (and everything they
 * import) are loaded through tsx, which the bootstrap registers inside the new thread; JavaScript
 * entries load directly. `workerData` reaches the entry as `workerData.data`.
 */
export function spawnWorker(entry: URL | string, data: unknown, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  const href = typeof entry === 'string' ? entry : entry.href;
  return new Worker(BOOTSTRAP, { ...options, workerData: { entry: href, data } });
}
