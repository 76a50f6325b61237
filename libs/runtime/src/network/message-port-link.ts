import type { MessagePort } from 'node:worker_threads';
import { getLogger } from '@riffle/core';
import type { PeerLink, PeerMessageHandler } from './channel-endpoints.js';

const log = getLogger('NetworkPeerLink');

/**
 * Messages of the network stack between two threads. Every message names its channel; data and
 * recycled buffers travel in the transfer list (moved, not copied). Kinds are prefixed `net:` so
 * that a port shared with other traffic can tell them apart.
 */
export type NetworkMessage =
  | { readonly kind: 'net:data'; readonly ch: string; readonly buf: ArrayBuffer; readonly size: number }
  | { readonly kind: 'net:credit'; readonly ch: string; readonly credits: number }
  | { readonly kind: 'net:recycle'; readonly ch: string; readonly buf: ArrayBuffer; readonly credits: number }
  | { readonly kind: 'net:producer-released'; readonly ch: string }
  | { readonly kind: 'net:consumer-released'; readonly ch: string };

/** True for messages of the network stack (`kind` starting with `net:`). */
export function isNetworkMessage(message: unknown): message is NetworkMessage {
  const kind = (message as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && kind.startsWith('net:');
}

/**
 * A {@link PeerLink} over a `MessagePort` (cross-thread). Buffers are transferred, so the sending
 * side's view is detached after the call. Messages of other kinds on the port are ignored.
 * @internal
 */
export class MessagePortPeerLink implements PeerLink {
  private readonly listener: (message: unknown) => void;
  private detached = false;

  constructor(
    private readonly port: MessagePort,
    private readonly handler: PeerMessageHandler,
  ) {
    this.listener = (message) => this.dispatch(message);
    port.on('message', this.listener);
  }

  private dispatch(message: unknown): void {
    if (this.detached || !isNetworkMessage(message)) return;
    const h = this.handler;
    switch (message.kind) {
      case 'net:data':
        h.onData(message.ch, new Uint8Array(message.buf), message.size);
        break;
      case 'net:credit':
        h.onCredit(message.ch, message.credits);
        break;
      case 'net:recycle':
        h.onRecycle(message.ch, new Uint8Array(message.buf), message.credits);
        break;
      case 'net:producer-released':
        h.onProducerReleased(message.ch);
        break;
      case 'net:consumer-released':
        h.onConsumerReleased(message.ch);
        break;
      default:
        log.debug('ignoring unknown network message', { kind: (message as { kind: string }).kind });
    }
  }

  sendData(channelId: string, bytes: Uint8Array, size: number): void {
    const buf = wholeBuffer(bytes);
    this.port.postMessage({ kind: 'net:data', ch: channelId, buf, size } satisfies NetworkMessage, [buf]);
  }

  sendCredit(channelId: string, credits: number): void {
    this.port.postMessage({ kind: 'net:credit', ch: channelId, credits } satisfies NetworkMessage);
  }

  sendRecycle(channelId: string, bytes: Uint8Array, credits: number): void {
    const buf = wholeBuffer(bytes);
    this.port.postMessage({ kind: 'net:recycle', ch: channelId, buf, credits } satisfies NetworkMessage, [buf]);
  }

  sendProducerReleased(channelId: string): void {
    this.port.postMessage({ kind: 'net:producer-released', ch: channelId } satisfies NetworkMessage);
  }

  sendConsumerReleased(channelId: string): void {
    this.port.postMessage({ kind: 'net:consumer-released', ch: channelId } satisfies NetworkMessage);
  }

  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.port.off('message', this.listener);
  }
}

function wholeBuffer(bytes: Uint8Array): ArrayBuffer {
  const buf = bytes.buffer;
  if (!(buf instanceof ArrayBuffer) || bytes.byteOffset !== 0 || bytes.byteLength !== buf.byteLength) {
    throw new Error('network buffers must each own a whole ArrayBuffer to be transferred');
  }
  return buf;
}

/**
 * A {@link PeerLink} that queues sends until the real link to the peer is attached, so channels
 * can be registered before `addPeer`. @internal
 */
export class DeferredPeerLink implements PeerLink {
  private target: PeerLink | null = null;
  private pending: Array<(link: PeerLink) => void> = [];

  attach(link: PeerLink): void {
    if (this.target !== null) throw new Error('peer link already attached');
    this.target = link;
    const pending = this.pending;
    this.pending = [];
    for (const send of pending) send(link);
  }

  isAttached(): boolean {
    return this.target !== null;
  }

  sendData(channelId: string, bytes: Uint8Array, size: number): void {
    if (this.target !== null) this.target.sendData(channelId, bytes, size);
    else this.pending.push((l) => l.sendData(channelId, bytes, size));
  }

  sendCredit(channelId: string, credits: number): void {
    if (this.target !== null) this.target.sendCredit(channelId, credits);
    else this.pending.push((l) => l.sendCredit(channelId, credits));
  }

  sendRecycle(channelId: string, bytes: Uint8Array, credits: number): void {
    if (this.target !== null) this.target.sendRecycle(channelId, bytes, credits);
    else this.pending.push((l) => l.sendRecycle(channelId, bytes, credits));
  }

  sendProducerReleased(channelId: string): void {
    if (this.target !== null) this.target.sendProducerReleased(channelId);
    else this.pending.push((l) => l.sendProducerReleased(channelId));
  }

  sendConsumerReleased(channelId: string): void {
    if (this.target !== null) this.target.sendConsumerReleased(channelId);
    else this.pending.push((l) => l.sendConsumerReleased(channelId));
  }

  detach(): void {
    this.pending = [];
    this.target?.detach();
  }
}
