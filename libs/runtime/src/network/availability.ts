/**
 * Availability signalling without a promise per record: callers poll `isAvailable()` (a field
 * read) and only when it is false wait for `available()` or register `onAvailable`.
 */
export interface AvailabilityProvider {
  /** True when the next unit of work can proceed without waiting. Cheap; call it freely. */
  isAvailable(): boolean;
  /**
   * Resolves when `isAvailable()` may have become true (an already resolved promise when it is
   * true now). Callers re-check `isAvailable()` after it resolves. The same promise is shared by
   * all waiters until it resolves; waiting allocates nothing per record.
   */
  available(): Promise<void>;
  /**
   * Registers a one-shot `callback` for the next transition to available; returns a function that
   * unregisters it. The callback runs synchronously inside whatever delivered the data or buffer
   * (possibly another task's `emit` on the same thread): it must only schedule work, never
   * process input or emit records.
   */
  onAvailable(callback: () => void): () => void;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** The already resolved promise returned by `available()` of anything that is available now. */
export function resolvedAvailability(): Promise<void> {
  return RESOLVED;
}

/**
 * The waiting side of an {@link AvailabilityProvider}: holds the pending promise and one-shot
 * callbacks, and releases them all at the next {@link notify}.
 * @internal
 */
export class AvailabilityNotifier {
  private promise: Promise<void> | null = null;
  private resolveFn: (() => void) | null = null;
  private callbacks: Array<() => void> = [];

  /** The promise resolved by the next {@link notify}. */
  next(): Promise<void> {
    if (this.promise === null) {
      this.promise = new Promise<void>((resolve) => {
        this.resolveFn = resolve;
      });
    }
    return this.promise;
  }

  /** Registers a one-shot callback for the next {@link notify}. */
  add(callback: () => void): () => void {
    this.callbacks.push(callback);
    return () => {
      const i = this.callbacks.indexOf(callback);
      if (i >= 0) this.callbacks.splice(i, 1);
    };
  }

  /** True when someone waits (a promise or a callback). */
  hasWaiters(): boolean {
    return this.resolveFn !== null || this.callbacks.length > 0;
  }

  /** Wakes every waiter registered so far. */
  notify(): void {
    const resolve = this.resolveFn;
    if (resolve !== null) {
      this.resolveFn = null;
      this.promise = null;
      resolve();
    }
    if (this.callbacks.length > 0) {
      const callbacks = this.callbacks;
      this.callbacks = [];
      for (const cb of callbacks) cb();
    }
  }
}

/**
 * Resolves as soon as any of `providers` is available (immediately if one is now). Use it in a
 * task with several inputs (two-input operators, or several gates) to wait for "any input has
 * data". Registers one callback per provider and removes all of them when the first fires, so
 * waiting repeatedly does not accumulate handlers on a quiet provider. An empty list resolves
 * immediately (there is nothing to wait for).
 */
export function anyAvailable(providers: readonly AvailabilityProvider[]): Promise<void> {
  if (providers.length === 0) return RESOLVED;
  for (const p of providers) if (p.isAvailable()) return RESOLVED;
  return new Promise<void>((resolve) => {
    const cancels: Array<() => void> = [];
    let done = false;
    const fire = (): void => {
      if (done) return;
      done = true;
      for (const cancel of cancels) cancel();
      resolve();
    };
    for (const p of providers) cancels.push(p.onAvailable(fire));
  });
}
