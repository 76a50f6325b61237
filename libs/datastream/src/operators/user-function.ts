import type { RichFunction, RuntimeContext } from '@riffle/core';

/**
 * Helpers for user functions, which may be plain functions, objects implementing a function
 * interface, or rich function class instances (`open`/`close`/`setRuntimeContext`).
 */

/**
 * Checks, when the job is built, that `fn` is a function or an object with `method`, so that a
 * wrong argument fails at `map(...)` rather than inside a running task.
 */
export function checkUserFunction(fn: unknown, method: string, api: string): void {
  if (typeof fn === 'function') return;
  if (fn !== null && typeof fn === 'object' && typeof (fn as Record<string, unknown>)[method] === 'function') return;
  throw new TypeError(`${api}: expected a function or an object with a '${method}' method, got ${describe(fn)}`);
}

/** Checks that `fn` is an object with every one of `methods` (for two-input functions). */
export function checkFunctionObject(fn: unknown, methods: readonly string[], api: string): void {
  const ok = fn !== null && typeof fn === 'object' && methods.every((m) => typeof (fn as Record<string, unknown>)[m] === 'function');
  if (!ok) throw new TypeError(`${api}: expected an object with ${methods.map((m) => `'${m}'`).join(' and ')} methods, got ${describe(fn)}`);
}

/**
 * Opens a rich function: `setRuntimeContext(ctx)`, then `open({ runtimeContext })`. Does nothing
 * for plain functions and objects without these methods. Returns `open`'s promise, if any.
 */
export function openUserFunction(fn: unknown, runtimeContext: RuntimeContext): void | Promise<void> {
  if (fn === null || (typeof fn !== 'object' && typeof fn !== 'function')) return;
  const rich = fn as RichFunction;
  if (typeof rich.setRuntimeContext === 'function') rich.setRuntimeContext(runtimeContext);
  if (typeof rich.open === 'function') return rich.open({ runtimeContext });
}

/** Closes a rich function (`close()`), if it has one. */
export function closeUserFunction(fn: unknown): void | Promise<void> {
  if (fn === null || (typeof fn !== 'object' && typeof fn !== 'function')) return;
  const rich = fn as RichFunction;
  if (typeof rich.close === 'function') return rich.close();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object without it (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}
