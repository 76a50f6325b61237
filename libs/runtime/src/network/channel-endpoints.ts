/**
 * The two ends of a network channel (one producer subpartition → one consumer input channel) as
 * each side sees the other. Local channels connect a subpartition and an input channel directly;
 * remote channels put a {@link PeerLink} in between. A TCP transport for cross-process channels
 * is one more `PeerLink` implementation: nothing above this file changes.
 *
 * Credit protocol: the consumer grants credits (`addCredit`) when it registers; the producer
 * delivers one buffer per credit; the consumer returns each buffer once consumed (`recycle`),
 * granting one new credit with it (zero after end of partition or when giving up).
 */

/** The consumer end, as seen by a producing subpartition. Called on the producer's thread. */
export interface ConsumerEndpoint {
  /**
   * Hands over a finished buffer holding `size` bytes of frames; the producer spent one credit.
   * Ownership passes with the call: the producer touches `bytes` again only once it comes back
   * through `ProducerEndpoint.recycle` (for remote ends, the memory is transferred away).
   */
  deliver(bytes: Uint8Array, size: number): void;
  /** The producer released its partition before the consumer got end of partition (failure, cancel). */
  producerReleased(): void;
}

/** The producer end, as seen by an input channel. Called on the consumer's thread. */
export interface ProducerEndpoint {
  /** Grants `credits` more buffers. */
  addCredit(credits: number): void;
  /** Returns a consumed buffer (ownership passes back) and grants `credits` with it. */
  recycle(bytes: Uint8Array, credits: number): void;
  /** The consumer was released (failure, cancel): the producer may drop what it still holds for it. */
  consumerReleased(): void;
}

/**
 * Receives the messages of one peer thread (or process), already decoded. Implemented by the
 * `NetworkEnvironment`; called on its thread, in message order. Unknown channels must be
 * tolerated: messages may arrive for channels not registered yet or already released.
 */
export interface PeerMessageHandler {
  onData(channelId: string, bytes: Uint8Array, size: number): void;
  onCredit(channelId: string, credits: number): void;
  onRecycle(channelId: string, bytes: Uint8Array, credits: number): void;
  onProducerReleased(channelId: string): void;
  onConsumerReleased(channelId: string): void;
}

/**
 * A transport to one peer, multiplexing every channel between the two ends. Sends are
 * fire-and-forget and must preserve order per link. `sendData` and `sendRecycle` pass ownership
 * of `bytes` (a whole `ArrayBuffer`, offset 0): the caller never touches it again.
 */
export interface PeerLink {
  sendData(channelId: string, bytes: Uint8Array, size: number): void;
  sendCredit(channelId: string, credits: number): void;
  sendRecycle(channelId: string, bytes: Uint8Array, credits: number): void;
  sendProducerReleased(channelId: string): void;
  sendConsumerReleased(channelId: string): void;
  /** Stops delivering incoming messages to the handler. Does not close the underlying port or socket. */
  detach(): void;
}

/** The consumer end of a remote channel, on the producer's thread. @internal */
export class RemoteConsumerEndpoint implements ConsumerEndpoint {
  constructor(
    private readonly link: PeerLink,
    private readonly channelId: string,
  ) {}
  deliver(bytes: Uint8Array, size: number): void {
    this.link.sendData(this.channelId, bytes, size);
  }
  producerReleased(): void {
    this.link.sendProducerReleased(this.channelId);
  }
}

/** The producer end of a remote channel, on the consumer's thread. @internal */
export class RemoteProducerEndpoint implements ProducerEndpoint {
  constructor(
    private readonly link: PeerLink,
    private readonly channelId: string,
  ) {}
  addCredit(credits: number): void {
    this.link.sendCredit(this.channelId, credits);
  }
  recycle(bytes: Uint8Array, credits: number): void {
    this.link.sendRecycle(this.channelId, bytes, credits);
  }
  consumerReleased(): void {
    this.link.sendConsumerReleased(this.channelId);
  }
}
