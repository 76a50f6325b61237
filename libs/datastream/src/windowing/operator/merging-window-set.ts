import type { MergingWindowAssigner } from '../assigners/window-assigner.js';
import type { Window } from '../windows/window.js';

/**
 * Called when windows merge: `mergeResult` replaces `mergedWindows` (the new window not among
 * them), and the state of `mergedStateWindows` must move into `stateWindowResult`.
 */
export interface MergeFunction<W> {
  merge(mergeResult: W, mergedWindows: readonly W[], stateWindowResult: W, mergedStateWindows: readonly W[]): void;
}

/** The persisted form: pairs of (in-flight window, the window its contents are stored under). */
export type WindowMapping<W> = Array<[window: W, stateWindow: W]>;

/**
 * The in-flight windows of one key for merging assigners (Flink's `MergingWindowSet`), and for
 * each the *state window*: the namespace its contents are kept under. When windows merge, the
 * result takes the state window of one of them, so that only the others' state has to move
 * (a growing session keeps its contents where they are).
 *
 * Works on a {@link WindowMapping} array owned by the caller (kept in keyed state); a key has
 * few in-flight windows, so lookups are linear. Not reentrant; one key at a time.
 */
export class MergingWindowSet<W extends Window> {
  private mapping: WindowMapping<W> = [];
  private changed = false;
  private results: Array<[W, W[]]> = [];
  private readonly collectResult = (toBeMerged: W[], mergeResult: W): void => {
    this.results.push([mergeResult, toBeMerged.slice()]);
  };

  constructor(private readonly assigner: MergingWindowAssigner<unknown, W>) {}

  /** Works on `mapping` (the current key's) from now on. */
  reset(mapping: WindowMapping<W>): void {
    this.mapping = mapping;
    this.changed = false;
  }

  /** The mapping worked on. */
  getMapping(): WindowMapping<W> {
    return this.mapping;
  }

  /** True when the mapping changed since {@link reset}. */
  isChanged(): boolean {
    return this.changed;
  }

  /** The state window of in-flight `window`, or `undefined` when it is not in flight. */
  getStateWindow(window: W): W | undefined {
    const i = this.indexOf(window);
    return i < 0 ? undefined : this.mapping[i]![1];
  }

  /** Removes `window` (fired and cleaned up); throws if it is not in flight. */
  retireWindow(window: W): void {
    const i = this.indexOf(window);
    if (i < 0) throw new Error(`Window ${String(window)} is not in in-flight window set.`);
    this.mapping.splice(i, 1);
    this.changed = true;
  }

  /**
   * Adds `newWindow`, merging it with in-flight windows as the assigner decides, and returns
   * the in-flight window it ended up in (itself or a merge result). `mergeFunction` runs once
   * per merge, before this returns; it must move the state of the merged state windows.
   */
  addWindow(newWindow: W, mergeFunction: MergeFunction<W>): W {
    // An equal window is already in flight: in-flight windows never overlap, so nothing merges.
    const existing = this.indexOf(newWindow);
    if (existing >= 0) return this.mapping[existing]![0];
    const windows: W[] = [];
    for (const [w] of this.mapping) windows.push(w);
    windows.push(newWindow);

    const results: Array<[W, W[]]> = (this.results = []);
    this.assigner.mergeWindows(windows, this.collectResult);

    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const [mergeResult, mergedWindows] of results) {
      // If the new window is among the merged ones, the merge result is where it went.
      const ni = mergedWindows.findIndex((w) => w.equals(newWindow));
      if (ni >= 0) {
        mergedWindows.splice(ni, 1);
        mergedNewWindow = true;
        resultWindow = mergeResult;
      }
      // The merge result keeps the state window of one of the merged windows; the others' state moves there.
      const stateWindowResult = this.getStateWindow(mergedWindows[0]!)!;
      const mergedStateWindows: W[] = [];
      for (const w of mergedWindows) {
        const i = this.indexOf(w);
        if (i < 0) continue;
        const stateWindow = this.mapping[i]![1];
        this.mapping.splice(i, 1);
        if (!stateWindow.equals(stateWindowResult)) mergedStateWindows.push(stateWindow);
      }
      this.mapping.push([mergeResult, stateWindowResult]);
      this.changed = true;
      // One window "merged" into itself without growing: nothing to do.
      if (!(mergedWindows.length === 1 && mergedWindows[0]!.equals(mergeResult))) {
        mergeFunction.merge(mergeResult, mergedWindows, stateWindowResult, mergedStateWindows);
      }
    }
    // The new window merged with nothing: it is its own state window.
    if (!mergedNewWindow) {
      this.mapping.push([resultWindow, resultWindow]);
      this.changed = true;
    }
    return resultWindow;
  }

  private indexOf(window: W): number {
    const m = this.mapping;
    for (let i = 0; i < m.length; i++) if (m[i]![0].equals(window)) return i;
    return -1;
  }
}
