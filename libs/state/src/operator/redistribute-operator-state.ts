import type { OperatorStateEntrySnapshot, OperatorStateSnapshot } from './operator-state-snapshot.js';

/**
 * Redistributes the operator state snapshots of an operator's `previous.length` old subtasks
 * (`undefined` for a subtask that had no state) to `newParallelism` new subtasks, by Flink's
 * rules (`RoundRobinOperatorStateRepartitioner`):
 *
 * - `SPLIT_DISTRIBUTE` (`getListState`): the elements of all old subtasks, concatenated in
 *   subtask order, are cut into `newParallelism` consecutive runs whose sizes differ by at most
 *   one; the subtasks that get the one extra element rotate from one state to the next
 *   (states in name order), so that many small states spread evenly. When the parallelism
 *   is unchanged, every subtask keeps its own elements.
 * - `UNION` (`getUnionListState`): every new subtask gets all elements of all old subtasks.
 * - `BROADCAST` (`getBroadcastState`): new subtask `i` gets the copy of old subtask
 *   `i mod m` among the `m` old subtasks that have the state (all copies are equal).
 *
 * Pure: the result shares the element bytes with `previous`. Every new subtask's snapshot
 * describes every state, with no elements where it got none.
 */
export function redistributeOperatorState(previous: readonly (OperatorStateSnapshot | undefined)[], newParallelism: number): OperatorStateSnapshot[] {
  if (!Number.isInteger(newParallelism) || newParallelism < 1) throw new RangeError(`new parallelism must be a positive integer, got ${newParallelism}`);
  const oldParallelism = previous.length;
  // Per state name: its description and its entry in each old subtask.
  const byName = new Map<string, { first: OperatorStateEntrySnapshot; perSubtask: (OperatorStateEntrySnapshot | undefined)[] }>();
  previous.forEach((snapshot, subtask) => {
    for (const state of snapshot?.states ?? []) {
      let slot = byName.get(state.name);
      if (slot === undefined) byName.set(state.name, (slot = { first: state, perSubtask: new Array(oldParallelism).fill(undefined) }));
      else if (slot.first.mode !== state.mode) {
        throw new Error(`operator state '${state.name}' has distribution mode ${slot.first.mode} in one subtask and ${state.mode} in another`);
      }
      slot.perSubtask[subtask] = state;
    }
  });

  const result: OperatorStateEntrySnapshot[][] = Array.from({ length: newParallelism }, () => []);
  let startSubtask = 0;
  for (const name of [...byName.keys()].sort()) {
    const { first, perSubtask } = byName.get(name)!;
    const describe = (elements: readonly Uint8Array[]): OperatorStateEntrySnapshot => ({ name, mode: first.mode, serializerIds: first.serializerIds, elements });
    if (first.mode === 'BROADCAST') {
      const copies = perSubtask.filter((s): s is OperatorStateEntrySnapshot => s !== undefined);
      for (let i = 0; i < newParallelism; i++) result[i]!.push(describe(copies[i % copies.length]!.elements));
      continue;
    }
    if (first.mode === 'SPLIT_DISTRIBUTE' && newParallelism === oldParallelism) {
      for (let i = 0; i < newParallelism; i++) result[i]!.push(describe(perSubtask[i]?.elements ?? []));
      continue;
    }
    const all: Uint8Array[] = [];
    for (const state of perSubtask) if (state !== undefined) for (const element of state.elements) all.push(element);
    if (first.mode === 'UNION') {
      for (let i = 0; i < newParallelism; i++) result[i]!.push(describe(all));
      continue;
    }
    const parts = splitEvenly(all, newParallelism, startSubtask);
    startSubtask = parts.nextStart;
    for (let i = 0; i < newParallelism; i++) result[i]!.push(describe(parts.assigned[i]!));
  }
  return result.map((states) => ({ states }));
}

/** Flink's round-robin split: consecutive runs; extra elements go to subtasks from `start` on. */
function splitEvenly<T>(elements: readonly T[], parallelism: number, start: number): { assigned: T[][]; nextStart: number } {
  const assigned: T[][] = Array.from({ length: parallelism }, () => []);
  const base = Math.floor(elements.length / parallelism);
  let remainder = elements.length % parallelism;
  let nextStart = start;
  let offset = 0;
  for (let i = 0; i < parallelism; i++) {
    const subtask = (i + start) % parallelism;
    let count = base;
    if (remainder > 0) {
      count++;
      remainder--;
    } else if (remainder === 0) {
      // Out of extra elements: the next state hands out its extras starting here.
      nextStart = subtask;
      remainder--;
    }
    assigned[subtask] = elements.slice(offset, offset + count);
    offset += count;
  }
  return { assigned, nextStart };
}
