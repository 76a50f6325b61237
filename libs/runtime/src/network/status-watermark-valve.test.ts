import { describe, expect, it } from 'vitest';
import { StatusWatermarkValve } from './status-watermark-valve.js';
import { CollectingOutput } from './test-fixtures/test-serializers.js';

function valve(n: number) {
  const out = new CollectingOutput<never>();
  const v = new StatusWatermarkValve(n);
  return { v, out, take: () => out.events.splice(0) };
}

describe('StatusWatermarkValve', () => {
  it('emits the minimum over channels, only when it advances', () => {
    const { v, out, take } = valve(3);
    v.inputWatermark(10, 0, out);
    v.inputWatermark(5, 1, out);
    expect(take()).toEqual([]);
    v.inputWatermark(7, 2, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 5 }]);
    v.inputWatermark(20, 1, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 7 }]);
    v.inputWatermark(8, 0, out); // lower than the channel's 10: ignored
    v.inputWatermark(7, 2, out); // no advance
    expect(take()).toEqual([]);
    v.inputWatermark(30, 2, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 10 }]);
  });

  it('ignores idle channels and goes idle when every channel is idle', () => {
    const { v, out, take } = valve(2);
    v.inputWatermark(10, 0, out);
    v.inputWatermarkStatus('IDLE', 1, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 10 }]);
    v.inputWatermark(50, 1, out); // idle channel: ignored
    v.inputWatermark(12, 0, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 12 }]);
    v.inputWatermarkStatus('IDLE', 0, out);
    expect(take()).toEqual([{ kind: 'status', status: 'IDLE' }]);
    v.inputWatermarkStatus('ACTIVE', 0, out);
    expect(take()).toEqual([{ kind: 'status', status: 'ACTIVE' }]);
  });

  it('never regresses when a channel comes back from idle behind the emitted watermark', () => {
    const { v, out, take } = valve(2);
    v.inputWatermark(3, 1, out);
    v.inputWatermarkStatus('IDLE', 1, out);
    v.inputWatermark(100, 0, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 100 }]);
    v.inputWatermarkStatus('ACTIVE', 1, out);
    v.inputWatermark(50, 1, out); // behind: not aligned, not counted
    v.inputWatermark(120, 0, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 120 }]);
    v.inputWatermark(130, 1, out); // caught up: aligned again
    v.inputWatermark(200, 0, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 130 }]);
  });

  it('flushes the largest watermark when the last active channel holding the minimum goes idle', () => {
    const { v, out, take } = valve(2);
    v.inputWatermark(5, 0, out);
    v.inputWatermark(9, 1, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 5 }]);
    v.inputWatermarkStatus('IDLE', 1, out);
    v.inputWatermarkStatus('IDLE', 0, out);
    expect(take()).toEqual([
      { kind: 'watermark', timestamp: 9 },
      { kind: 'status', status: 'IDLE' },
    ]);
  });

  it('stops waiting for a channel that ended, without emitting when the last one ends', () => {
    const { v, out, take } = valve(2);
    v.inputWatermark(5, 0, out);
    v.inputWatermark(9, 1, out);
    take();
    v.channelEnded(0, out);
    expect(take()).toEqual([{ kind: 'watermark', timestamp: 9 }]);
    v.channelEnded(1, out);
    expect(take()).toEqual([]);
  });
});
