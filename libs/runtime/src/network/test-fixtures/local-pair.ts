import type { TypeSerializer } from '@riffle/core';
import type { PartitionerSpec } from '../../graph/stream-graph.js';
import type { NetworkConfig } from '../network-config.js';
import { describeInputGate, describeResultPartition, type EdgeDeployment } from '../network-descriptors.js';
import { NetworkEnvironment } from '../network-environment.js';
import type { RecordWriter } from '../record-writer.js';
import type { StreamNetworkInput } from '../stream-network-input.js';

/** One producer and one consumer subtask on one thread, joined by a forward edge. */
export function localPair<T>(
  serializer: TypeSerializer<T>,
  config: Partial<NetworkConfig> = {},
  partitioner: PartitionerSpec = { kind: 'forward' },
): { env: NetworkEnvironment; writer: RecordWriter<T>; input: StreamNetworkInput<T> } {
  const env = new NetworkEnvironment('t0', config);
  const edge: EdgeDeployment = {
    scope: 'job@0',
    jobEdgeId: 'e1',
    partitionerKind: partitioner.kind,
    producerThreads: ['t0'],
    consumerThreads: ['t0'],
  };
  const writer = env.createRecordWriter(describeResultPartition(edge, 0), {
    serializer,
    partitioner,
    maxParallelism: 128,
    producerSubtask: 0,
    operatorName: 'producer',
  });
  const input = env.createNetworkInput(describeInputGate(edge, 0), serializer);
  return { env, writer, input };
}
