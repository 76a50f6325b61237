import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnWorker } from './spawn-worker.js';
import { compileWorkerModules } from './worker-modules.js';

// Sources live under the repository (its ignored tmp/), so that their bare imports resolve from its
// node_modules; compiled modules live in the OS temporary directory, away from any node_modules.
const REPO_TMP = fileURLToPath(new URL('../../../../tmp/', import.meta.url));

let src: string;
let cacheDir: string;

beforeEach(async () => {
  await mkdir(REPO_TMP, { recursive: true });
  src = await mkdtemp(join(REPO_TMP, 'worker-modules-test-'));
  cacheDir = await mkdtemp(join(tmpdir(), 'riffle-worker-modules-test-'));
});

afterEach(async () => {
  await rm(src, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

const href = (name: string): string => pathToFileURL(join(src, name)).href;

const DEP = (value: number): string => `
export class Widget {}
export const shared = { value: ${value} };
export const depUrl: string = import.meta.url;
export const depDir: string = import.meta.dirname;
`;

const ENTRY = `
import { parentPort, workerData } from 'node:worker_threads';
import { version } from 'esbuild';
import { Widget as DepWidget, shared, depUrl, depDir } from './dep.js';

class Widget {}
const job = workerData?.job ? ((await import(workerData.job)) as { shared: unknown }) : undefined;
parentPort!.postMessage({
  value: shared.value,
  depUrl,
  depDir,
  entryUrl: import.meta.url,
  names: [Widget.name, DepWidget.name],
  esbuild: typeof version,
  sharedWithJob: job ? job.shared === shared : undefined,
  compiled: workerData?.compiledModules !== undefined,
});
`;

const JOB = `export { shared } from './dep.js';\n`;

interface Report {
  value: number;
  depUrl: string;
  depDir: string;
  entryUrl: string;
  names: string[];
  esbuild: string;
  sharedWithJob: boolean | undefined;
  compiled: boolean;
}

function report(worker: Worker): Promise<Report> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: Report) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function writeSources(depValue = 1): Promise<void> {
  await writeFile(join(src, 'dep.ts'), DEP(depValue));
  await writeFile(join(src, 'entry.ts'), ENTRY);
  await writeFile(join(src, 'job.ts'), JOB);
}

describe('compileWorkerModules', () => {
  it('runs TypeScript as plain JavaScript with the sources import.meta values, class names and packages', async () => {
    await writeSources();
    const compiled = await compileWorkerModules([href('entry.ts')], { cacheDir });
    const entryCompiled = compiled.modules[href('entry.ts')]!;
    expect(entryCompiled.startsWith(pathToFileURL(cacheDir).href)).toBe(true);
    const r = await report(new Worker(new URL(entryCompiled)));
    expect(r).toMatchObject({
      value: 1,
      depUrl: href('dep.ts'),
      depDir: src,
      entryUrl: href('entry.ts'),
      names: ['Widget', 'Widget'],
      esbuild: 'string',
    });
  });

  it('gives entries compiled together the same instance of the modules they share', async () => {
    await writeSources();
    const compiled = await compileWorkerModules([href('entry.ts'), href('job.ts')], { cacheDir });
    const r = await report(new Worker(new URL(compiled.modules[href('entry.ts')]!), { workerData: { job: compiled.modules[href('job.ts')] } }));
    expect(r.sharedWithJob).toBe(true);
  });

  it('recompiles when a source changes and reuses the cached output while the sources are the same', async () => {
    await writeSources(1);
    const entries = [href('entry.ts')];
    const first = await compileWorkerModules(entries, { cacheDir });
    expect(first.built).toBe(true);

    const again = await compileWorkerModules(entries, { cacheDir });
    expect(again).toEqual({ modules: first.modules, built: false });

    // A new mtime with the same content is still the same source.
    const later = new Date(Date.now() + 5_000);
    await utimes(join(src, 'dep.ts'), later, later);
    expect((await compileWorkerModules(entries, { cacheDir })).built).toBe(false);

    await writeFile(join(src, 'dep.ts'), DEP(2));
    const changed = await compileWorkerModules(entries, { cacheDir });
    expect(changed.built).toBe(true);
    expect(changed.modules[entries[0]!]).not.toBe(first.modules[entries[0]!]);
    expect((await report(new Worker(new URL(changed.modules[entries[0]!]!)))).value).toBe(2);
  });

  it('shares one build among concurrent callers', async () => {
    await writeSources();
    const entries = [href('entry.ts')];
    const [a, b] = await Promise.all([compileWorkerModules(entries, { cacheDir }), compileWorkerModules(entries, { cacheDir })]);
    expect(a).toBe(b);
    expect(a.built).toBe(true);
  });

  it('evaluates modules and packages in the order of the sources', async () => {
    // A module may prepare the ground for a package imported after it (the Kafka connector patches
    // kafkajs' require cache before kafkajs loads); bundling would hoist the package's import.
    const pkg = join(src, 'node_modules', 'order-probe');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'order-probe', type: 'module', main: 'index.js' }));
    await writeFile(join(pkg, 'index.js'), `(globalThis.order ??= []).push('package');\nexport const order = globalThis.order;\n`);
    await writeFile(join(src, 'first.ts'), `((globalThis as { order?: string[] }).order ??= []).push('first');\n`);
    await writeFile(
      join(src, 'ordered.ts'),
      `import { parentPort } from 'node:worker_threads';\nimport './first.js';\nimport { order } from 'order-probe';\nparentPort!.postMessage(order);\n`,
    );
    const compiled = await compileWorkerModules([href('ordered.ts')], { cacheDir });
    const order = await new Promise<string[]>((resolve, reject) => {
      const w = new Worker(new URL(compiled.modules[href('ordered.ts')]!));
      w.once('message', (m: string[]) => {
        resolve(m);
        void w.terminate();
      });
      w.once('error', reject);
    });
    expect(order).toEqual(['first', 'package']);
  });

  it('refuses modules that use import.meta beyond url, dirname and filename', async () => {
    await writeFile(join(src, 'resolving.ts'), `export const where = import.meta.resolve('./x.js');\n`);
    await expect(compileWorkerModules([href('resolving.ts')], { cacheDir })).rejects.toThrow(/beyond url, dirname and filename/);
  });

  it('records in the manifest every source the output was compiled from', async () => {
    await writeSources();
    await compileWorkerModules([href('entry.ts')], { cacheDir });
    const [key] = await readdir(cacheDir);
    const keyDir = join(cacheDir, key!);
    const manifest = JSON.parse(await readFile(join(keyDir, 'manifest.json'), 'utf8')) as { inputs: { path: string }[] };
    const paths = manifest.inputs.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining([join(src, 'entry.ts'), join(src, 'dep.ts')]));
    // The external package's entry file too: reinstalling it invalidates the output.
    expect(paths.some((p) => p.includes('/node_modules/esbuild/'))).toBe(true);
    // And the settings that decide how the sources compile and resolve.
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    expect(paths).toEqual(expect.arrayContaining([join(root, 'package.json'), join(root, 'tsconfig.json')]));
  });
});

describe('spawnWorker', () => {
  it('starts a TypeScript entry from its compiled modules, and through tsx when compilation is switched off', async () => {
    await writeSources();
    const previous = { compile: process.env.RIFFLE_WORKER_COMPILE, dir: process.env.RIFFLE_WORKER_CACHE_DIR };
    process.env.RIFFLE_WORKER_CACHE_DIR = cacheDir;
    try {
      const compiled = await report(spawnWorker(href('entry.ts'), { jobModule: href('job.ts') }));
      expect(compiled).toMatchObject({ compiled: true, value: 1, entryUrl: href('entry.ts') });

      process.env.RIFFLE_WORKER_COMPILE = '0';
      const viaTsx = await report(spawnWorker(href('entry.ts'), { jobModule: href('job.ts') }));
      expect(viaTsx).toMatchObject({ compiled: false, value: 1, entryUrl: href('entry.ts') });
    } finally {
      restoreEnv('RIFFLE_WORKER_COMPILE', previous.compile);
      restoreEnv('RIFFLE_WORKER_CACHE_DIR', previous.dir);
    }
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
