import { describe, expect, it } from 'vitest';
import { StreamRecord, type OneInputStreamOperator } from '@riffle/core';
import { AbstractStreamOperator, MAILBOX_EXECUTOR, type MailboxExecutor } from '@riffle/runtime';
import { OneInputStreamOperatorTestHarness, TestingMailbox } from './index.js';

/**
 * A small asynchronous operator: each record waits for a promise the test controls; the
 * completion reaches the operator as a mail; with two records pending it holds input back;
 * finish waits until nothing is pending.
 */
class Deferring extends AbstractStreamOperator<string> implements OneInputStreamOperator<number, string> {
  readonly resolvers = new Map<number, () => void>();
  private mailbox!: MailboxExecutor;
  private pending = 0;
  private release: (() => void) | undefined;
  private drained: (() => void) | undefined;

  override open(): void {
    this.mailbox = this.services.get(MAILBOX_EXECUTOR) as MailboxExecutor;
  }

  processElement(record: StreamRecord<number>): void {
    const value = record.value;
    this.pending++;
    new Promise<void>((resolve) => this.resolvers.set(value, resolve)).then(() => this.mailbox.execute(() => this.done(value)));
    if (this.pending >= 2 && !this.release) this.mailbox.holdInputUntil(new Promise<void>((r) => (this.release = r)));
  }

  override finish(): void | Promise<void> {
    if (this.pending === 0) return;
    return new Promise<void>((resolve) => (this.drained = resolve));
  }

  private done(value: number): void {
    this.pending--;
    this.output.collect(new StreamRecord(`done ${value}`));
    if (this.pending < 2 && this.release) {
      this.release();
      this.release = undefined;
    }
    if (this.pending === 0) this.drained?.();
  }
}

describe('the harness mailbox', () => {
  it('runs completions only when the test drains the mailbox', async () => {
    const op = new Deferring();
    const h = await new OneInputStreamOperatorTestHarness<number, string, Deferring>(op).open();
    h.processElement(1);
    op.resolvers.get(1)!();
    expect(h.extractOutputValues()).toEqual([]);
    expect(await h.drainMails()).toBe(1);
    expect(h.extractOutputValues()).toEqual(['done 1']);
  });

  it('makes holding input observable and releases it when the operator frees up', async () => {
    const op = new Deferring();
    const h = await new OneInputStreamOperatorTestHarness<number, string, Deferring>(op).open();
    h.processElement(1);
    expect(h.isInputHeld()).toBe(false);
    h.processElement(2);
    expect(h.isInputHeld()).toBe(true);
    op.resolvers.get(2)!();
    await h.waitForInputAvailable();
    expect(h.isInputHeld()).toBe(false);
    expect(h.extractOutputValues()).toEqual(['done 2']);
  });

  it('keeps running mails while endInput awaits the operator finishing', async () => {
    const op = new Deferring();
    const h = await new OneInputStreamOperatorTestHarness<number, string, Deferring>(op).open();
    h.processElement(1);
    h.processElement(2);
    const finished = h.endInput();
    op.resolvers.get(2)!();
    op.resolvers.get(1)!();
    await finished;
    expect(h.extractOutputValues()).toEqual(['done 2', 'done 1']);
  });

  it('waitForMails waits for the first mail to arrive', async () => {
    const mailbox = new TestingMailbox();
    const ran: number[] = [];
    const waiting = mailbox.waitForMails();
    queueMicrotask(() => mailbox.execute(() => ran.push(1)));
    expect(await waiting).toBe(1);
    expect(ran).toEqual([1]);
  });

  it('propagates an error thrown by a mail and keeps the mails behind it queued', () => {
    const mailbox = new TestingMailbox();
    mailbox.execute(() => {
      throw new Error('boom');
    });
    mailbox.execute(() => {});
    expect(() => mailbox.runMails()).toThrow('boom');
    expect(mailbox.pendingMails()).toBe(1);
  });
});
