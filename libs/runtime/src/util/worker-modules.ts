import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

/**
 * The plain-JavaScript form of the modules a worker thread loads: every workspace module the
 * entries reach, compiled on its own (as tsx would compile it) into a mirror of the source tree,
 * its imports pointing at the compiled files. Module boundaries, evaluation order and identity are
 * those of the sources: two entries share every module they both import.
 */
export interface CompiledWorkerModules {
  /** The compiled module (a file URL) of each entry URL. */
  readonly modules: Readonly<Record<string, string>>;
  /** Whether this call compiled them; false when they came from the cache. */
  readonly built: boolean;
}

/** Options of {@link compileWorkerModules}. */
export interface CompileWorkerModulesOptions {
  /** Where compiled modules are kept; default `$RIFFLE_WORKER_CACHE_DIR`, else `<os tmpdir>/riffle-worker-modules-<uid>`. */
  readonly cacheDir?: string;
}

/** Bumped whenever the layout or the esbuild options change. */
const FORMAT = 4;

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

const inFlight = new Map<string, Promise<CompiledWorkerModules>>();

/**
 * Returns the compiled worker modules of `entries` (file URLs of TypeScript or JavaScript
 * modules), compiling them when nothing in the cache matches the current content of every file
 * they were compiled from. Workspace sources (anything not under `node_modules`) are compiled;
 * packages under `node_modules` are imported by absolute path, so the compiled files work wherever
 * they are stored. `import.meta.url`, `import.meta.dirname` and `import.meta.filename` keep the
 * values of the source files.
 *
 * Concurrent calls for the same entries share one check (and one compilation); each later call
 * checks again (a `stat` per input, a hash only for files whose size or mtime changed), so edited
 * sources reach the next worker as they do through tsx. Several processes may share a cache
 * directory: outputs are written to a content-addressed directory and moved into place.
 *
 * Rejects when the modules cannot be compiled faithfully (a resolution error, CommonJS sources,
 * TypeScript under `node_modules`, any other use of `import.meta`); the caller then loads the
 * sources through tsx instead.
 */
export function compileWorkerModules(entries: readonly string[], options: CompileWorkerModulesOptions = {}): Promise<CompiledWorkerModules> {
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
  return join(tmpdir(), `riffle-worker-modules-${user}`);
}

async function cachedOrBuilt(entries: readonly string[], keyDir: string): Promise<CompiledWorkerModules> {
  const manifestPath = join(keyDir, 'manifest.json');
  const manifest = await readManifest(manifestPath);
  if (manifest && (await isCurrent(manifest, keyDir))) {
    // Marks these outputs as in use, for pruning.
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
/** Builds of the same entries unused this long are removed (a thread loads its modules when it starts). */
const OLD_BUILD_MS = 24 * HOUR_MS;
/** Everything compiled for entries unused this long is removed (job modules in temporary directories, for one). */
const OLD_KEY_MS = 7 * 24 * HOUR_MS;

/** Removes, best effort, what nobody has used for a long time. Runs after a build. */
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
  const externals = new Set<string>();
  const entryPaths = entries.map((href) => fileURLToPath(href));
  // Pass 1: find every workspace module the entries reach (esbuild resolves as Node does).
  const graph = await esbuild.build({
    ...COMMON,
    entryPoints: entryPaths,
    write: false,
    metafile: true,
    outdir: join(keyDir, 'staging'),
    plugins: [externalPackages(externals)],
  });
  const sources = Object.keys(graph.metafile.inputs)
    .filter((p) => !p.includes(':'))
    .map((p) => resolve('/', p));
  const compiled = sources.filter((p) => COMPILED.test(p));
  const commonJs = compiled.find((p) => /\.c[jt]s$/.test(p));
  if (commonJs) throw new Error(`${commonJs} is CommonJS, which worker modules do not compile`);
  // How pass 1 resolved each import of each module: pass 2 reuses it instead of resolving again.
  const resolved = new Map<string, Map<string, ResolvedImport>>();
  for (const [importer, input] of Object.entries(graph.metafile.inputs)) {
    const imports = new Map<string, ResolvedImport>();
    for (const i of input.imports) {
      if (i.original === undefined) continue;
      imports.set(i.original, { path: i.external && !i.path.startsWith('/') ? i.path : resolve('/', i.path), external: i.external === true });
    }
    resolved.set(resolve('/', importer), imports);
  }
  const settings = await settingsOf(sources);
  // Each input as it is before pass 2 reads it; the manifest records these (see below).
  const before = new Map(
    await Promise.all(
      [...sources, ...externals, ...settings].map(async (p) => {
        const s = await stat(p);
        return [p, { size: s.size, mtimeMs: s.mtimeMs, data: await readFile(p) }] as const;
      }),
    ),
  );
  const contents = new Map([...before].map(([p, b]) => [p, b.data] as const));
  const usingImportMeta = compiled.filter((p) => IMPORT_META.test(contents.get(p)!.toString('utf8')));

  // Pass 2: compile each of them on its own, imports pointing at the compiled files.
  const result = await esbuild.build({
    ...COMMON,
    entryPoints: compiled,
    outbase: '/',
    // .mjs: Node knows the format at once, without looking for a package.json or at the syntax.
    outExtension: { '.js': '.mjs' },
    // Never written there (write: false), but at the depth of the final directory, so that the
    // source maps' relative paths to the sources hold.
    outdir: join(keyDir, 'staging'),
    write: false,
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [
      eachModuleOnItsOwn(new Set(compiled), resolved),
      externalPackages(externals),
      importMetaOfTheSource(usingImportMeta, contents),
    ],
  });
  for (const f of result.outputFiles) {
    // Any other use of import.meta (resolve, for one) would see the compiled file instead of the source.
    if (f.path.endsWith('.mjs') && IMPORT_META.test(f.text)) {
      throw new Error(`${outputOf(relative(join(keyDir, 'staging'), f.path))} uses ${META} beyond url, dirname and filename`);
    }
  }
  const outFiles = result.outputFiles.map((f) => ({ rel: relative(join(keyDir, 'staging'), f.path), contents: f.contents }));
  const contentHash = createHash('sha256');
  for (const f of [...outFiles].sort((a, b) => a.rel.localeCompare(b.rel))) contentHash.update(f.rel).update('\0').update(f.contents);
  const outDir = contentHash.digest('hex').slice(0, 24);
  await writeOutputs(join(keyDir, outDir), outFiles);

  const outputs: Record<string, string> = {};
  entries.forEach((href, i) => (outputs[href] = outputOf(entryPaths[i]!).slice(1)));
  // A file that changed while it was compiled may have been compiled in either version: record
  // it as never current, so that the next spawn compiles again.
  const inputs = await Promise.all(
    [...before].map(async ([path, b]): Promise<InputRecord> => {
      const now = await stat(path).catch(() => undefined);
      const unchanged = now !== undefined && now.size === b.size && now.mtimeMs === b.mtimeMs;
      return { path, size: b.size, mtimeMs: b.mtimeMs, sha256: unchanged ? sha256(b.data) : CHANGED_WHILE_COMPILING };
    }),
  );
  return { format: FORMAT, outDir, outputs, inputs };
}

const CHANGED_WHILE_COMPILING = 'changed while compiling';

/**
 * The files besides the sources that decide how they compile: the nearest package.json (its
 * exports decide what a workspace package's name resolves to) and tsconfig.json (with what it
 * extends) of every source directory.
 */
async function settingsOf(sources: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);
  const nearest = new Map<string, Promise<string | undefined>>();
  const lookUp = (dir: string, name: string): Promise<string | undefined> => {
    const key = `${dir}\0${name}`;
    let r = nearest.get(key);
    if (!r) {
      r = exists(join(dir, name)).then((yes) => (yes ? join(dir, name) : dirname(dir) === dir ? undefined : lookUp(dirname(dir), name)));
      nearest.set(key, r);
    }
    return r;
  };
  const addTsconfig = async (path: string, depth = 0): Promise<void> => {
    if (found.has(path) || depth > 8) return;
    found.add(path);
    const config = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as { extends?: unknown };
    const bases = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
    for (const base of bases) {
      if (typeof base === 'string' && base.startsWith('.')) {
        const target = resolve(dirname(path), base.endsWith('.json') ? base : `${base}.json`);
        if (await exists(target)) await addTsconfig(target, depth + 1);
      }
    }
  };
  for (const dir of new Set(sources.map((p) => dirname(p)))) {
    const [pkg, tsconfig] = await Promise.all([lookUp(dir, 'package.json'), lookUp(dir, 'tsconfig.json')]);
    if (pkg) found.add(pkg);
    if (tsconfig) await addTsconfig(tsconfig).catch(() => undefined);
  }
  return found;
}

/** Options of both passes: the transform tsx applies to each module, so that code behaves as it does through tsx. */
const COMMON = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: `node${process.versions.node}`,
  keepNames: true,
  // Resolve packages as Node does (no "module" condition, only "main").
  conditions: [],
  mainFields: ['main'],
  // Keep every statement: module evaluation must not change.
  treeShaking: false,
  ignoreAnnotations: true,
  absWorkingDir: '/',
  logLevel: 'silent',
} as const satisfies esbuild.BuildOptions;

/** Workspace modules that are compiled; any other file a module imports stays where it is. */
const COMPILED = /\.[cm]?[jt]sx?$/;

/** Where the compiled form of the source at `path` lives, relative to the output directory (with a leading slash). */
function outputOf(path: string): string {
  return path.replace(/\.[cm]?[jt]sx?$/, '.mjs');
}

async function writeOutputs(dir: string, files: readonly { rel: string; contents: Uint8Array }[]): Promise<void> {
  if (await stat(dir).then(() => true, () => false)) return; // content-addressed: already there
  const tmp = `${dir}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const dirs = [...new Set(files.map((f) => dirname(join(tmp, f.rel))))].sort();
  // Only the deepest directories need a call: recursive creation makes their parents.
  const deepest = dirs.filter((d, i) => !dirs[i + 1]?.startsWith(`${d}/`));
  await Promise.all(deepest.map((d) => mkdir(d, { recursive: true })));
  await Promise.all(files.map((f) => writeFile(join(tmp, f.rel), f.contents)));
  try {
    await rename(tmp, dir);
  } catch (e) {
    // Another process moved the same content into place first.
    await rm(tmp, { recursive: true, force: true });
    if (!(await stat(dir).then(() => true, () => false))) throw e;
  }
}

// Spelled without the literal text, so that this module can compile itself.
const IMPORT_META = /\bimport\.meta\b/;
const META_PROPERTY = /\bimport\.meta\.(url|dirname|filename)\b/g;
const META = ['import', 'meta'].join('.');

/**
 * Keeps packages under node_modules external, imported by absolute path (so that the compiled
 * files work wherever they are stored), and records their entry files in `externals`.
 */
function externalPackages(externals: Set<string>): esbuild.Plugin {
  return {
    name: 'riffle-external-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING || args.kind === 'entry-point') return undefined;
        const r = await resolveAsUsual(b, args);
        if (r.errors.length > 0) return { errors: r.errors };
        if (r.external || r.namespace !== 'file') return { path: args.path, external: true };
        if (!r.path.includes('/node_modules/')) return { path: r.path };
        if (/\.[cm]?tsx?$/.test(r.path)) {
          return { errors: [{ text: `${args.path} resolves to TypeScript under node_modules (${r.path})` }] };
        }
        externals.add(r.path);
        return { path: r.path, external: true };
      });
    },
  };
}

interface ResolvedImport {
  /** Absolute path, or the specifier of a built-in module. */
  readonly path: string;
  readonly external: boolean;
}

/**
 * Makes every import of a compiled module external, pointing at its compiled file (relative), as
 * pass 1 resolved it; anything pass 1 did not see is resolved again.
 */
function eachModuleOnItsOwn(compiled: ReadonlySet<string>, resolved: ReadonlyMap<string, ReadonlyMap<string, ResolvedImport>>): esbuild.Plugin {
  const rewrite = (importer: string, target: string): string => {
    const specifier = relative(dirname(importer), outputOf(target));
    return specifier.startsWith('.') ? specifier : `./${specifier}`;
  };
  return {
    name: 'riffle-each-module-on-its-own',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === RESOLVING || args.kind === 'entry-point') return undefined;
        const known = resolved.get(args.importer)?.get(args.path);
        if (known) {
          if (compiled.has(known.path)) return { path: rewrite(args.importer, known.path), external: true };
          if (known.external) return { path: known.path, external: true };
        }
        const r = await resolveAsUsual(b, args);
        if (r.errors.length > 0) return { errors: r.errors };
        if (r.external || r.namespace !== 'file') return { path: args.path, external: true };
        if (compiled.has(r.path)) return { path: rewrite(args.importer, r.path), external: true };
        // A package (externalPackages decides how it is imported) or another file, imported where it is.
        return /^[./]/.test(args.path) ? { path: r.path, external: true } : undefined;
      });
    },
  };
}

const RESOLVING = Symbol('resolving');

function resolveAsUsual(b: esbuild.PluginBuild, args: esbuild.OnResolveArgs): Promise<esbuild.ResolveResult> {
  return b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
}

/** Gives each compiled file the `import.meta.url`, `dirname` and `filename` of its source. */
function importMetaOfTheSource(paths: readonly string[], contents: ReadonlyMap<string, Buffer>): esbuild.Plugin {
  return {
    name: 'riffle-import-meta-of-the-source',
    setup(b) {
      if (paths.length === 0) return;
      // Only the files that use import.meta: each onLoad is a round trip between esbuild and here.
      const filter = new RegExp(`^(?:${paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
      b.onLoad({ filter }, (args) => {
        const source = contents.get(args.path)?.toString('utf8');
        if (source === undefined) return undefined;
        const values: Record<string, string> = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
        const replaced = source.replace(META_PROPERTY, (_, name: string) => JSON.stringify(values[name]));
        return { contents: replaced, loader: loaderOf(args.path), resolveDir: dirname(args.path) };
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
