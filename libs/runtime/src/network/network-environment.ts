import type { MessagePort } from 'node:worker_threads';
import { getLogger } from '@riffle/core';
import type { TypeSerializer } from '@riffle/core';
import type { PartitionerSpec } from '../graph/stream-graph.js';
import { RemoteConsumerEndpoint, RemoteProducerEndpoint, type PeerLink, type PeerMessageHandler } from './channel-endpoints.js';
import { createChannelSelector } from './channel-selector.js';
import type { InputChannel } from './input-channel.js';
import { InputGate } from './input-gate.js';
import { DeferredPeerLink, MessagePortPeerLink } from './message-port-link.js';
import { resolveNetworkConfig, type NetworkConfig } from './network-config.js';
import type { InputGateDescriptor, ResultPartitionDescriptor } from './network-descriptors.js';
import { NetworkCounters, type NetworkStackStats } from './network-stats.js';
import { RecordWriter } from './record-writer.js';
import { ResultPartition } from './result-partition.js';
import type { ResultSubpartition } from './result-subpartition.js';
import { StreamNetworkInput } from './stream-network-input.js';

const log = getLogger('NetworkEnvironment');

/** Ids of closed channels remembered to ignore late messages (oldest forgotten first). */
const MAX_CLOSED_CHANNELS = 1 << 16;

/** Options of {@link NetworkEnvironment.createRecordWriter}. */
export interface RecordWriterOptions<T> {
  readonly serializer: TypeSerializer<T>;
  /** The edge's partitioner (from the StreamGraph edge). */
  readonly partitioner: PartitionerSpec;
  /** Max parallelism of the consuming operator (key groups for hash partitioning). */
  readonly maxParallelism: number;
  /** Index of the producing subtask. */
  readonly producerSubtask: number;
  /** Name of the producing operator, for error messages. */
  readonly operatorName: string;
}

/**
 * The network stack of one worker thread (Flink's `NettyShuffleEnvironment` + connection
 * manager). The integrator creates exactly one per thread that runs tasks, connects it to every
 * other such thread with {@link addPeer}, and creates each task's result partitions and input
 * gates from plain-data descriptors. Everything here runs on that thread only.
 *
 * Channels may be registered in any order, on either side, before or after `addPeer`: a producer
 * sends nothing until its consumer has registered and granted credit, so no data is lost, and
 * messages for channels not yet registered or already released are tolerated (credits are kept
 * for later registration, stray buffers are returned or dropped).
 */
export class NetworkEnvironment {
  readonly config: NetworkConfig;
  private readonly counters = new NetworkCounters();
  private readonly peers = new Map<string, DeferredPeerLink>();
  private readonly producers = new Map<string, ResultSubpartition>();
  private readonly consumers = new Map<string, InputChannel>();
  private readonly pendingCredits = new Map<string, number>();
  private readonly pendingConsumerReleased = new Set<string>();
  private readonly pendingProducerReleased = new Set<string>();
  private readonly closedChannels = new Set<string>();
  private readonly partitions = new Set<ResultPartition>();
  private readonly gates = new Set<InputGate>();
  private closed = false;

  /**
   * @param threadId this thread's id as other threads' descriptors name it.
   * @param config buffer and credit sizing; defaults from `DEFAULT_NETWORK_CONFIG`. All threads
   *   of a job should use the same `bufferSize`.
   */
  constructor(
    readonly threadId: string,
    config: Partial<NetworkConfig> = {},
  ) {
    this.config = resolveNetworkConfig(config);
  }

  /**
   * Connects this thread to `peerThreadId` over `port`, which must be one end of a
   * `MessageChannel` whose other end the peer thread passes to its own `addPeer(thisThreadId, …)`.
   * The port multiplexes every channel between the two threads; other traffic on it (kinds not
   * starting with `net:`) is ignored. Call once per peer.
   */
  addPeer(peerThreadId: string, port: MessagePort): void {
    this.addPeerLink(peerThreadId, (handler) => new MessagePortPeerLink(port, handler));
  }

  /**
   * Connects a peer over any transport (the seam for a cross-process TCP transport): `connect`
   * receives the handler for incoming messages and returns the link for outgoing ones.
   */
  addPeerLink(peerThreadId: string, connect: (handler: PeerMessageHandler) => PeerLink): void {
    this.checkOpen();
    if (peerThreadId === this.threadId) throw new Error(`network environment ${this.threadId}: a thread is not its own peer`);
    const deferred = this.peer(peerThreadId);
    if (deferred.isAttached()) throw new Error(`network environment ${this.threadId}: peer ${peerThreadId} already added`);
    deferred.attach(connect(this.handlerFor(deferred)));
  }

  /**
   * Creates and registers the result partition a descriptor names. Remote subpartitions start
   * sending once their consumer grants credit; local ones once the consumer's gate is created.
   * @throws Error if a channel id is already registered on this thread.
   */
  createResultPartition(descriptor: ResultPartitionDescriptor): ResultPartition {
    this.checkOpen();
    for (const s of descriptor.subpartitions) {
      if (this.producers.has(s.channelId)) throw new Error(`channel ${s.channelId} already has a producer on thread ${this.threadId}`);
    }
    const partition = new ResultPartition(
      descriptor.partitionId,
      descriptor.subpartitions.map((s) => s.channelId),
      this.config,
      this.counters,
      (p) => this.disposePartition(p),
    );
    this.partitions.add(partition);
    descriptor.subpartitions.forEach((s, i) => {
      const sub = partition.subpartitions[i]!;
      this.producers.set(s.channelId, sub);
      if (s.consumerThreadId === this.threadId) {
        const channel = this.consumers.get(s.channelId);
        if (channel !== undefined) this.connectLocal(sub, channel);
      } else {
        sub.connect(new RemoteConsumerEndpoint(this.peer(s.consumerThreadId), s.channelId), true);
        const credits = this.pendingCredits.get(s.channelId);
        if (credits !== undefined) {
          this.pendingCredits.delete(s.channelId);
          sub.addCredit(credits);
        }
        if (this.pendingConsumerReleased.delete(s.channelId)) sub.consumerReleased();
      }
    });
    return partition;
  }

  /**
   * Creates and registers the input gate a descriptor names, granting each channel's initial
   * credits to its producer (remote producers learn of them by message).
   * @throws Error if a channel id is already registered on this thread.
   */
  createInputGate(descriptor: InputGateDescriptor): InputGate {
    this.checkOpen();
    for (const c of descriptor.channels) {
      if (this.consumers.has(c.channelId)) throw new Error(`channel ${c.channelId} already has a consumer on thread ${this.threadId}`);
    }
    const gate = new InputGate(
      descriptor.gateId,
      descriptor.channels.map((c) => c.channelId),
      this.counters,
      (g, ch) => this.disposeChannel(g, ch),
    );
    this.gates.add(gate);
    descriptor.channels.forEach((c, i) => {
      const channel = gate.channels[i]!;
      this.consumers.set(c.channelId, channel);
      if (c.producerThreadId === this.threadId) {
        const sub = this.producers.get(c.channelId);
        if (sub !== undefined) this.connectLocal(sub, channel);
        else if (this.closedChannels.has(c.channelId)) channel.producerReleased();
      } else {
        channel.connect(new RemoteProducerEndpoint(this.peer(c.producerThreadId), c.channelId), this.config.creditsPerChannel);
        if (this.pendingProducerReleased.delete(c.channelId)) channel.producerReleased();
      }
    });
    return gate;
  }

  /**
   * Creates a result partition and a {@link RecordWriter} on it with the channel selector of the
   * edge's partitioner.
   */
  createRecordWriter<T>(descriptor: ResultPartitionDescriptor, options: RecordWriterOptions<T>): RecordWriter<T> {
    const selector = createChannelSelector<T>(options.partitioner, {
      numChannels: descriptor.subpartitions.length,
      maxParallelism: options.maxParallelism,
      producerIndex: options.producerSubtask,
      operatorName: options.operatorName,
    });
    const partition = this.createResultPartition(descriptor);
    return new RecordWriter(partition, options.serializer, selector);
  }

  /**
   * Creates the input gates of one logical task input (one descriptor per job edge feeding it;
   * several for a union) and a {@link StreamNetworkInput} reading them.
   */
  createNetworkInput<T>(descriptors: InputGateDescriptor | readonly InputGateDescriptor[], serializer: TypeSerializer<T>): StreamNetworkInput<T> {
    const list: readonly InputGateDescriptor[] = Array.isArray(descriptors) ? descriptors : [descriptors as InputGateDescriptor];
    return new StreamNetworkInput(
      list.map((d) => this.createInputGate(d)),
      serializer,
    );
  }

  /** Current and peak bytes buffered by this thread's network stack. */
  stats(): NetworkStackStats {
    return this.counters.snapshot();
  }

  /** Number of partitions and gates still registered (partitions stay until fully consumed). */
  registered(): { partitions: number; gates: number; producerChannels: number; consumerChannels: number } {
    return { partitions: this.partitions.size, gates: this.gates.size, producerChannels: this.producers.size, consumerChannels: this.consumers.size };
  }

  /**
   * Releases every partition and gate and detaches from all peers (ports are left open: they
   * belong to the caller). Idempotent. Use when the thread shuts down.
   */
  close(): void {
    if (this.closed) return;
    for (const p of [...this.partitions]) p.release();
    for (const g of [...this.gates]) g.release();
    for (const link of this.peers.values()) link.detach();
    this.closed = true;
    this.peers.clear();
    this.pendingCredits.clear();
    this.pendingConsumerReleased.clear();
    this.pendingProducerReleased.clear();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`network environment ${this.threadId} is closed`);
  }

  private connectLocal(sub: ResultSubpartition, channel: InputChannel): void {
    sub.connect(channel, false);
    channel.connect(sub, this.config.creditsPerChannel);
  }

  private peer(peerThreadId: string): DeferredPeerLink {
    let link = this.peers.get(peerThreadId);
    if (link === undefined) {
      link = new DeferredPeerLink();
      this.peers.set(peerThreadId, link);
    }
    return link;
  }

  private disposePartition(partition: ResultPartition): void {
    this.partitions.delete(partition);
    for (const sub of partition.subpartitions) {
      if (this.producers.get(sub.channelId) === sub) {
        this.producers.delete(sub.channelId);
        this.markClosed(sub.channelId);
      }
    }
  }

  private disposeChannel(gate: InputGate, channel: InputChannel): void {
    if (this.consumers.get(channel.channelId) === channel) {
      this.consumers.delete(channel.channelId);
      this.markClosed(channel.channelId);
    }
    if (gate.isReleased() || gate.isFinished()) this.gates.delete(gate);
  }

  private markClosed(channelId: string): void {
    this.closedChannels.add(channelId);
    if (this.closedChannels.size > MAX_CLOSED_CHANNELS) {
      const oldest = this.closedChannels.values().next().value as string;
      this.closedChannels.delete(oldest);
    }
  }

  private handlerFor(link: PeerLink): PeerMessageHandler {
    return {
      onData: (ch, bytes, size) => {
        const channel = this.consumers.get(ch);
        if (channel !== undefined) {
          channel.deliver(bytes, size);
        } else {
          log.debug('returning data for an unregistered channel', { channel: ch });
          link.sendRecycle(ch, bytes, 0);
        }
      },
      onCredit: (ch, credits) => {
        const sub = this.producers.get(ch);
        if (sub !== undefined) sub.addCredit(credits);
        else if (!this.closedChannels.has(ch)) this.pendingCredits.set(ch, (this.pendingCredits.get(ch) ?? 0) + credits);
      },
      onRecycle: (ch, bytes, credits) => {
        this.producers.get(ch)?.recycle(bytes, credits);
      },
      onProducerReleased: (ch) => {
        const channel = this.consumers.get(ch);
        if (channel !== undefined) channel.producerReleased();
        else if (!this.closedChannels.has(ch)) this.pendingProducerReleased.add(ch);
      },
      onConsumerReleased: (ch) => {
        const sub = this.producers.get(ch);
        if (sub !== undefined) sub.consumerReleased();
        else if (!this.closedChannels.has(ch)) this.pendingConsumerReleased.add(ch);
      },
    };
  }
}
