import { describe, expect, it } from 'vitest';
import { computeEdgeConnections, connectionPatternOf } from './edge-connections.js';
import { describeInputGate, describeResultPartition, type EdgeDeployment } from './network-descriptors.js';

describe('edge connections', () => {
  it('connects equal parallelism pointwise one to one', () => {
    const c = computeEdgeConnections('forward', 3, 3);
    expect(c.consumersOf).toEqual([[0], [1], [2]]);
    expect(c.producersOf).toEqual([[0], [1], [2]]);
  });

  it('lets each consumer read a contiguous range of producers when producers outnumber consumers', () => {
    const c = computeEdgeConnections('rescale', 5, 2);
    // consumer j reads floor(j*5/2) .. floor((j+1)*5/2)-1
    expect(c.producersOf).toEqual([[0, 1], [2, 3, 4]]);
    expect(c.consumersOf).toEqual([[0], [0], [1], [1], [1]]);
  });

  it('lets each producer feed a contiguous range of consumers when consumers outnumber producers', () => {
    const c = computeEdgeConnections('rescale', 2, 5);
    // producer i feeds floor(i*5/2) .. floor((i+1)*5/2)-1
    expect(c.consumersOf).toEqual([[0, 1], [2, 3, 4]]);
    expect(c.producersOf).toEqual([[0], [0], [1], [1], [1]]);
  });

  it('connects every producer to every consumer for all-to-all partitioners', () => {
    for (const kind of ['rebalance', 'shuffle', 'broadcast', 'global', 'hash', 'custom'] as const) {
      expect(connectionPatternOf(kind)).toBe('ALL_TO_ALL');
      const c = computeEdgeConnections(kind, 2, 3);
      expect(c.consumersOf).toEqual([[0, 1, 2], [0, 1, 2]]);
      expect(c.producersOf).toEqual([[0, 1], [0, 1], [0, 1]]);
    }
  });

  it('rejects forward partitioning between different parallelisms', () => {
    expect(() => computeEdgeConnections('forward', 2, 3, { producer: 'Source', consumer: 'Map' })).toThrow(
      /Forward partitioning does not allow change of parallelism.*Source parallelism: 2.*Map parallelism: 3/,
    );
  });

  it('builds matching partition and gate descriptors with thread placement', () => {
    const edge: EdgeDeployment = {
      scope: 'job@1',
      jobEdgeId: '1->2#0',
      partitionerKind: 'rescale',
      producerThreads: ['a', 'b'],
      consumerThreads: ['a', 'a', 'b', 'b'],
    };
    const p1 = describeResultPartition(edge, 1);
    expect(p1.subpartitions).toEqual([
      { channelId: 'job@1|1->2#0|1->2', consumerThreadId: 'b' },
      { channelId: 'job@1|1->2#0|1->3', consumerThreadId: 'b' },
    ]);
    const g2 = describeInputGate(edge, 2);
    expect(g2.channels).toEqual([{ channelId: 'job@1|1->2#0|1->2', producerThreadId: 'b' }]);
  });
});
