import type { TypeInformation, TypeSerializer } from '@riffle/core';

/**
 * The symbol under which the heap state backend looks for an object's own map key (see
 * `toMapKey` in `@riffle/state`): a window used as a state namespace names itself with its
 * cached identity instead of being encoded field by field on every namespace switch. Equal
 * windows give equal keys; backends that do not know the symbol still compare windows by their
 * enumerable fields, which name the same windows.
 */
export const STATE_MAP_KEY: unique symbol = Symbol.for('riffle.state.mapKey') as never;

/** Prefix that keeps window map keys apart from string namespaces and keys. */
const MAP_KEY_PREFIX = '\uDFFF\u0002';

/**
 * A group of elements that a window operator keeps and evaluates together (Flink's `Window`).
 *
 * Windows are immutable values: two windows are the same window when their
 * {@link identity identities} are equal, whatever the objects. The window operator uses windows
 * as the namespace of its keyed state and timers, so a window class must have value semantics
 * (its identity covers everything that distinguishes it) and only enumerable fields that take
 * part in that identity.
 */
export abstract class Window {
  #identity: string | undefined;
  #mapKey: string | undefined;

  /** The largest timestamp that still belongs to this window. */
  abstract maxTimestamp(): number;

  /**
   * A canonical string for this window: equal windows give equal strings, different windows
   * different ones. Called at most once per window object (the result is cached).
   */
  protected abstract computeIdentity(): string;

  /** This window's identity (cached); timers are deduplicated by it. */
  identity(): string {
    return (this.#identity ??= this.computeIdentity());
  }

  /** Value equality: same class of window and same identity. */
  equals(other: unknown): boolean {
    return this === other || (other instanceof Window && other.constructor === this.constructor && other.identity() === this.identity());
  }

  toString(): string {
    return `${this.constructor.name}{${this.identity()}}`;
  }

  /** @internal The key under which the heap state backend stores this window's namespace. */
  get [STATE_MAP_KEY](): string {
    return (this.#mapKey ??= MAP_KEY_PREFIX + this.identity());
  }
}

/** The identity function for window namespaces of timers: `window.identity()`. */
export function windowIdentity(window: Window): string {
  return window.identity();
}

/** A {@link TypeInformation} wrapping one shared serializer. */
export class WindowTypeInformation<W extends Window> implements TypeInformation<W> {
  constructor(
    readonly name: string,
    private readonly serializer: TypeSerializer<W>,
  ) {}

  createSerializer(): TypeSerializer<W> {
    return this.serializer;
  }

  toString(): string {
    return this.name;
  }
}
