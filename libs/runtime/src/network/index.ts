/**
 * The network stack of `@riffle/runtime`: result partitions, record writers, input gates and
 * network inputs with credit-based flow control, over in-thread hand-off or cross-thread
 * `MessagePort`s. See `NetworkEnvironment` for the entry point.
 */
export { DEFAULT_NETWORK_CONFIG, resolveNetworkConfig, partitionPoolSize, maxPartitionBytes } from './network-config.js';
export type { NetworkConfig } from './network-config.js';
export { anyAvailable } from './availability.js';
export type { AvailabilityProvider } from './availability.js';
export { createChannelSelector } from './channel-selector.js';
export type { ChannelSelector, ChannelSelectorContext } from './channel-selector.js';
export { computeEdgeConnections, connectionPatternOf } from './edge-connections.js';
export type { ConnectionPattern, EdgeConnections, EdgeNames } from './edge-connections.js';
export { networkChannelId, describeResultPartition, describeInputGate } from './network-descriptors.js';
export type {
  EdgeDeployment,
  InputChannelDescriptor,
  InputGateDescriptor,
  ResultPartitionDescriptor,
  SubpartitionDescriptor,
} from './network-descriptors.js';
export { NetworkEnvironment } from './network-environment.js';
export type { RecordWriterOptions } from './network-environment.js';
export type { NetworkStackStats } from './network-stats.js';
export { ResultPartition } from './result-partition.js';
export type { ResultPartitionStats } from './result-partition.js';
export { RecordWriter } from './record-writer.js';
export { InputGate } from './input-gate.js';
export type { InputGateStats } from './input-gate.js';
export { StreamNetworkInput } from './stream-network-input.js';
export type { DataOutput, InputStatus } from './stream-network-input.js';
export type { CheckpointBarrier, CancelCheckpointMarker, CheckpointOptions, CheckpointingMode } from './checkpoint-barrier.js';
export { CheckpointBarrierHandler } from './checkpoint-barrier-handler.js';
export type {
  CheckpointAbortReason,
  CheckpointAlignmentMetrics,
  CheckpointBarrierHandlerStats,
  CheckpointListener,
} from './checkpoint-barrier-handler.js';
export { SingleCheckpointBarrierHandler } from './single-checkpoint-barrier-handler.js';
export { CheckpointBarrierTracker } from './checkpoint-barrier-tracker.js';
export { createCheckpointBarrierHandler } from './create-barrier-handler.js';
export { StatusWatermarkValve } from './status-watermark-valve.js';
export type { WatermarkOutput } from './status-watermark-valve.js';
export { isNetworkMessage } from './message-port-link.js';
export type { NetworkMessage } from './message-port-link.js';
export type { PeerLink, PeerMessageHandler, ConsumerEndpoint, ProducerEndpoint } from './channel-endpoints.js';
export * as networkFraming from './element-framing.js';
