/**
 * A task's mailbox (Flink's MailboxProcessor): control actions are mails, run on the task's
 * thread between units of input processing, never concurrently with them. `signal()` gives a
 * promise that resolves when a mail arrives, so the loop can wait for "input or mail".
 */
export class Mailbox {
  private readonly mails: Array<() => void> = [];
  private waiter: (() => void) | undefined;
  private waiting: Promise<void> | undefined;

  /** Enqueues a mail and wakes the loop. */
  put(mail: () => void): void {
    this.mails.push(mail);
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      this.waiting = undefined;
      w();
    }
  }

  hasMail(): boolean {
    return this.mails.length > 0;
  }

  /** Runs every queued mail, in order. */
  runMails(): void {
    while (this.mails.length > 0) this.mails.shift()!();
  }

  /** Resolves when the next mail arrives (at once if one is queued). */
  signal(): Promise<void> {
    if (this.mails.length > 0) return Promise.resolve();
    if (!this.waiting) this.waiting = new Promise<void>((r) => (this.waiter = r));
    return this.waiting;
  }
}

/** Resolves on the next turn of the event loop, letting messages and timers in. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/**
 * What an operator may ask of its task's mailbox (Flink's MailboxExecutor), found under
 * {@link MAILBOX_EXECUTOR} in the operator's services. Used by operators whose work completes
 * asynchronously (async I/O): the completion runs as a mail on the task thread, and while the
 * operator cannot take more input it holds the task's input back.
 */
export interface MailboxExecutor {
  /** Runs `mail` on the task thread, between units of input processing. */
  execute(mail: () => void): void;
  /**
   * Stops the task from processing further input (records, watermarks) until `until` resolves;
   * mails keep running meanwhile. Input already being processed completes first.
   */
  holdInputUntil(until: Promise<void>): void;
}

export const MAILBOX_EXECUTOR = 'riffle.mailboxExecutor';

/**
 * The operator service telling whether the job takes periodic checkpoints (`true` when it does;
 * absent otherwise, also when it only takes savepoints). A two-phase committing sink commits its
 * last committables at `finish()` without it, and with the task's final checkpoint with it (see
 * `StreamOperator.awaitsFinalCheckpoint`).
 */
export const CHECKPOINTING_ENABLED = 'riffle.checkpointingEnabled';
