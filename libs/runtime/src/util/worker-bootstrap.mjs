// Entry of every Riffle worker thread: registers the TypeScript loader when the entry (or the job
// module it will import) is TypeScript, then imports the real entry.
import { workerData } from 'node:worker_threads';

const needsTs = /\.[cm]?tsx?$/.test(workerData.entry) || /\.[cm]?tsx?$/.test(workerData.data?.jobModule ?? '');
if (needsTs) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
