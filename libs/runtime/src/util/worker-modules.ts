import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

/**
 * The plain-JavaScript form of a worker thread's TypeScript modules: one ES module per entry,
 * sharing chunks, so that the entries share every module they both import (as they would when
 * loaded one by one).
 */
export interface WorkerBundle {
  /** The bundled module (a file URL) for each entry URL, in the order the entries were given. */
  readonly modules: Readonly<Record<string, string>>;
  /** Whether this call built the bundle; false when it came from the cache. */
  readonly built: boolean;
}

/** Options of {@link bundleWorkerModules}. */
export interface WorkerBundleOptions {
  /** Where bundles are kept; default `$RIFFLE_WORKER_CACHE_DIR`, else `<os tmpdir>/riffle-worker-bundles-<user>`. */
  readonly cacheDir?: string;
}

/** Bumped whenever the bundle layout or the esbuild options change. */
const FORMAT = 1;

interface InputRecord {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

interface Manifest {
  readonly format: number;
  /** Directory (under the key's directory) holding the outputs. */
  readonly outDir: string;
  /** Output file (relative to outDir) of each entry URL. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Every file the outputs were built from, including the external packages' entry files. */
  readonly inputs: readonly InputRecord[];
}

const inFlight = new Map<string, Promise<WorkerBundle>>();

/**
 * Returns the worker bundle of `entries` (file URLs of TypeScript or JavaScript modules),
 * building it when no bundle in the cache matches the current content of every file it was built
 * from. Workspace sources are bundled; packages under `node_modules` stay external and are
 * imported by absolute path, so a bundle works wherever it is stored. `import.meta.url`,
 * `import.meta.dirname` and `import.meta.filename` keep their values from the original files.
 *
 * Concurrent calls for the same entries share one check (and one build); each later call checks
 * again (a `stat` per input, a hash only for files whose size or mtime changed), so edited
 * sources reach the next worker as they do through tsx. Several processes may share a cache
 * directory: outputs are written to a content-addressed directory and moved into place.
 *
 * Rejects when the modules cannot be bundled faithfully (a resolution error, a package under
 * `node_modules` that is TypeScript, any other use of `import.meta`); the caller then loads the
 * sources through tsx instead.
 */
export function bundleWorkerModules(entries: readonly string[], options: WorkerBundleOptions = {}): Promise<WorkerBundle> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const key = createHash('sha256')
    .update(JSON.stringify({ FORMAT, esbuild: esbuild.version, node: process.version, entries }))
    .digest('hex')
    .slice(0, 24);
  const flightKey = `${cacheDir}\0${key}`;
  let pending = inFlight.get(flightKey);
  if (!pending) {
    pending = cachedOrBuilt(entries, join(cacheDir, key)).finally(() => inFlight.delete(flightKey));
    inFlight.set(flightKey, pending);
  }
  return pending;
}

function defaultCacheDir(): string {
  const fromEnv = process.env.RIFFLE_WORKER_CACHE_DIR;
  if (fromEnv) return fromEnv;
  const user = process.getuid ? String(process.getuid()) : userInfo().username;
  return join(tmpdir(), `riffle-worker-bundles-${user}`);
}

async function cachedOrBuilt(entries: readonly string[], keyDir: string): Promise<WorkerBundle> {
  const manifestPath = join(keyDir, 'manifest.json');
  const manifest = await readManifest(manifestPath);
  if (manifest && (await isCurrent(manifest, keyDir))) {
    // Marks the bundle as in use, for pruning.
    const now = new Date();
    await Promise.all([utimes(keyDir, now, now), utimes(join(keyDir, manifest.outDir), now, now)]).catch(() => undefined);
    return { modules: outputUrls(manifest, keyDir), built: false };
  }
  const fresh = await build(entries, keyDir);
  const tmp = `${manifestPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, JSON.stringify(fresh));
  await rename(tmp, manifestPath);
  await prune(keyDir, fresh.outDir).catch(() => undefined);
  return { modules: outputUrls(fresh, keyDir), built: true };
}

const HOUR_MS = 3_600_000;
/** Builds of the same entries unused this long are removed (a thread loads its whole bundle when it starts). */
const OLD_BUILD_MS = 24 * HOUR_MS;
/** Bundles of entries unused this long are removed (job modules in temporary directories, for one). */
const OLD_KEY_MS = 7 * 24 * HOUR_MS;

/** Removes, best effort, the builds and bundles nobody has used for a long time. Runs after a build. */
async function prune(keyDir: string, current: string): Promise<void> {
  const now = Date.now();
  const removeIfOlder = async (path: string, ageMs: number): Promise<void> => {
    const s = await stat(path).catch(() => undefined);
    if (s && now - s.mtimeMs > ageMs) await rm(path, { recursive: true, force: true });
  };
  for (const name of await readdir(keyDir)) {
    if (name === current || name === 'manifest.json') continue;
    await removeIfOlder(join(keyDir, name), name.endsWith('.tmp') ? HOUR_MS : OLD_BUILD_MS);
  }
  const cacheDir = dirname(keyDir);
  for (const name of await readdir(cacheDir)) {
    if (join(cacheDir, name) !== keyDir) await removeIfOlder(join(cacheDir, name), OLD_KEY_MS);
  }
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readFile(path, 'utf8')) as Manifest;
    return m.format === FORMAT ? m : undefined;
  } catch {
    return undefined;
  }
}

function outputUrls(manifest: Manifest, keyDir: string): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const [entry, file] of Object.entries(manifest.outputs)) {
    modules[entry] = pathToFileURL(join(keyDir, manifest.outDir, file)).href;
  }
  return modules;
}

async function isCurrent(manifest: Manifest, keyDir: string): Promise<boolean> {
  const checks = manifest.inputs.map(async (input) => {
    const s = await stat(input.path).catch(() => undefined);
    if (!s || s.size !== input.size) return false;
    if (s.mtimeMs === input.mtimeMs) return true;
    return sha256(await readFile(input.path)) === input.sha256;
  });
  const outputs = Object.values(manifest.outputs).map((f) =>
    stat(join(keyDir, manifest.outDir, f)).then(
      () => true,
      () => false,
    ),
  );
  return (await Promise.all([...checks, ...outputs])).every(Boolean);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function build(entries: readonly string[], keyDir: string): Promise<Manifest> {
  const names = new Set<string>();
  const entryPoints = entries.map((href) => {
    const path = fileURLToPath(href);
    let name = basename(path, extname(path));
    for (let i = 2; names.has(name); i++) name = `${basename(path, extname(path))}-${i}`;
    names.add(name);
    return { in: path, out: name };
  });
  const externals = new Set<string>();
  const result = await esbuild.build({
    entryPoints,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The same transform tsx applies to each module, so that code behaves as it does through tsx.
    target: `node${process.versions.node}`,
    keepNames: true,
    // Keep every statement of every imported module: module evaluation must not change.
    treeShaking: false,
    ignoreAnnotations: true,
    sourcemap: 'linked',
    sourcesContent: false,
    chunkNames: 'chunks/[name]-[hash]',
    // Never written there (write: false), but at the depth of the final directory, so that the
    // source maps' relative paths to the sources hold.
    outdir: join(keyDir, 'staging'),
    absWorkingDir: '/',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [workerBundlePlugin(externals)],
  });
  for (const f of result.outputFiles) {
    // Any other use of import.meta (resolve, for one) would see the bundle instead of the source.
    if (f.path.endsWith('.js') && IMPORT_META.test(f.text)) {
      throw new Error(`the modules use ${META} beyond url, dirname and filename (${relative(join(keyDir, 'staging'), f.path)})`);
    }
  }
  const outFiles = result.outputFiles.map((f) => ({ rel: relative(join(keyDir, 'staging'), f.path), contents: f.contents }));
  const contentHash = createHash('sha256');
  for (const f of [...outFiles].sort((a, b) => a.rel.localeCompare(b.rel))) contentHash.update(f.rel).update('\0').update(f.contents);
  const outDir = contentHash.digest('hex').slice(0, 24);
  await writeOutputs(join(keyDir, outDir), outFiles);

  const outputs: Record<string, string> = {};
  entries.forEach((href, i) => (outputs[href] = `${entryPoints[i]!.out}.js`));
  const inputPaths = [
    ...Object.keys(result.metafile.inputs)
      .filter((p) => !p.includes(':'))
      .map((p) => resolve('/', p)),
    ...externals,
  ];
  const inputs = await Promise.all(
    inputPaths.map(async (path): Promise<InputRecord> => {
      const [s, data] = await Promise.all([stat(path), readFile(path)]);
      return { path, size: s.size, mtimeMs: s.mtimeMs, sha256: sha256(data) };
    }),
  );
  return { format: FORMAT, outDir, outputs, inputs };
}

async function writeOutputs(dir: string, files: readonly { rel: string; contents: Uint8Array }[]): Promise<void> {
  if (await stat(dir).then(() => true, () => false)) return; // content-addressed: already there
  const tmp = `${dir}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await mkdir(tmp, { recursive: true });
  for (const f of files) {
    await mkdir(dirname(join(tmp, f.rel)), { recursive: true });
    await writeFile(join(tmp, f.rel), f.contents);
  }
  try {
    await rename(tmp, dir);
  } catch (e) {
    // Another process moved the same content into place first.
    await rm(tmp, { recursive: true, force: true });
    if (!(await stat(dir).then(() => true, () => false))) throw e;
  }
}

// Spelled without the literal text, so that this module can bundle itself.
const IMPORT_META = /\bimport\.meta\b/;
const META_PROPERTY = /\bimport\.meta\.(url|dirname|filename)\b/g;
const META = ['import', 'meta'].join('.');
const SOURCE = /\.[cm]?[jt]sx?$/;

/**
 * Keeps packages under node_modules external (by absolute path), and gives each bundled file its
 * own `import.meta.url`, `dirname` and `filename`.
 */
function workerBundlePlugin(externals: Set<string>): esbuild.Plugin {
  return {
    name: 'riffle-worker-bundle',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving' || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        });
        if (r.errors.length > 0) return { errors: r.errors };
        if (r.external || r.namespace !== 'file') return { path: args.path, external: true };
        if (!r.path.includes(`/node_modules/`)) return { path: r.path };
        if (/\.[cm]?tsx?$/.test(r.path)) {
          return { errors: [{ text: `${args.path} resolves to TypeScript under node_modules (${r.path})` }] };
        }
        externals.add(r.path);
        return { path: r.path, external: true };
      });
      b.onLoad({ filter: SOURCE }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!IMPORT_META.test(source)) return undefined;
        const url = pathToFileURL(args.path).href;
        const values: Record<string, string> = { url, dirname: dirname(args.path), filename: args.path };
        const contents = source.replace(META_PROPERTY, (_, name: string) => JSON.stringify(values[name]));
        return { contents, loader: loaderOf(args.path), resolveDir: dirname(args.path) };
      });
    },
  };
}

function loaderOf(path: string): esbuild.Loader {
  const ext = extname(path);
  if (ext === '.tsx') return 'tsx';
  if (ext === '.jsx') return 'jsx';
  return /\.[cm]?ts$/.test(ext) ? 'ts' : 'js';
}
