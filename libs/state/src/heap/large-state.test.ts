import { Types } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { ValueStateDescriptor } from '../state-descriptor.js';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';
import type { StateTable } from './state-table.js';

describe('large keyed state', () => {
  it('holds 2M keys in one state, spread over one Map per key group', () => {
    const N = 2_000_000;
    const backend = new HeapKeyedStateBackend<number>({ start: 0, end: 127 }, 128);
    const state = backend.getPartitionedState(new ValueStateDescriptor<number>('v', Types.NUMBER));
    for (let k = 0; k < N; k++) {
      backend.setCurrentKey(k);
      state.update(k * 2);
    }
    expect(backend.numKeys()).toBe(N);
    for (let k = 0; k < N; k += 9973) {
      backend.setCurrentKey(k);
      expect(state.value()).toBe(k * 2);
    }
    // White-box: no single JS Map holds more than a small multiple of its fair share.
    const table = (backend as unknown as { states: Map<string, { table: StateTable<unknown, unknown> }> }).states.get('v')!.table;
    const sizes = [...table.namespaces.values()][0]!.maps!.map((m) => m?.size ?? 0);
    expect(sizes).toHaveLength(128);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(N);
    expect(Math.max(...sizes)).toBeLessThan((N / 128) * 1.2);
    for (let k = 0; k < N; k += 2) {
      backend.setCurrentKey(k);
      state.clear();
    }
    expect(backend.numKeys()).toBe(N / 2);
    backend.setCurrentKey(N - 1);
    expect(state.value()).toBe((N - 1) * 2);
    backend.dispose();
  });
});
