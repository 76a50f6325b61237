import { MAX_WATERMARK, type TypeSerializer } from '@riffle/core';
import { Window, WindowTypeInformation } from './window.js';

/**
 * The one window of {@link GlobalWindows}: it holds every element of a key (Flink's
 * `GlobalWindow`). Its max timestamp is the end of time ({@link MAX_WATERMARK}), so its state
 * is never cleaned up by time: use a trigger that purges (e.g. `PurgingTrigger.of(CountTrigger.of(n))`).
 */
export class GlobalWindow extends Window {
  private static readonly instance = new GlobalWindow();

  private constructor() {
    super();
  }

  /** The only instance. */
  static get(): GlobalWindow {
    return GlobalWindow.instance;
  }

  maxTimestamp(): number {
    return MAX_WATERMARK;
  }

  protected override computeIdentity(): string {
    return 'global';
  }

  override toString(): string {
    return 'GlobalWindow';
  }
}

/** Serializer of {@link GlobalWindow}: writes nothing (id `global-window`). */
export const GLOBAL_WINDOW_SERIALIZER: TypeSerializer<GlobalWindow> = Object.freeze({
  id: 'global-window',
  serialize(): void {},
  deserialize(): GlobalWindow {
    return GlobalWindow.get();
  },
  copy(value: GlobalWindow): GlobalWindow {
    return value;
  },
});

/** Type information of {@link GlobalWindow}. */
export const GLOBAL_WINDOW_TYPE = new WindowTypeInformation<GlobalWindow>('GlobalWindow', GLOBAL_WINDOW_SERIALIZER);
