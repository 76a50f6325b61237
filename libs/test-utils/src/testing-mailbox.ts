import type { MailboxExecutor } from '@riffle/runtime';

/** Lets every promise reaction that is already due run (one macrotask turn). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The task mailbox of a test harness, handed to operators as their {@link MailboxExecutor}.
 * Nothing runs by itself: mails queue up until the test runs them, so a test decides exactly
 * when asynchronous completions reach the operator.
 *
 * The deterministic pattern for async work: resolve the promise the operator waits for, then
 * `await drainMails()`, which lets the promise reactions run (they enqueue mails) and runs the
 * mails, until nothing is left. Holding input (`holdInputUntil`) is only recorded: the harness
 * never refuses input, so a test can check {@link isInputHeld} and decide what to feed next.
 */
export class TestingMailbox implements MailboxExecutor {
  private readonly mails: Array<() => void> = [];
  private hold: Promise<void> | undefined;
  private waiters: Array<() => void> = [];
  private holds = 0;

  execute(mail: () => void): void {
    this.mails.push(mail);
    this.wake();
  }

  holdInputUntil(until: Promise<void>): void {
    this.holds++;
    const hold: Promise<void> = until.then(
      () => this.release(hold),
      () => this.release(hold),
    );
    this.hold = hold;
  }

  /** True while the latest `holdInputUntil` promise has not settled (the task would not read input now). */
  isInputHeld(): boolean {
    return this.hold !== undefined;
  }

  /** How many times the operator asked to hold input back. */
  holdCount(): number {
    return this.holds;
  }

  /** Number of queued mails. */
  pendingMails(): number {
    return this.mails.length;
  }

  /**
   * Runs the queued mails in order, including mails they enqueue, on the caller's stack.
   * Returns how many ran. An error thrown by a mail propagates (the task would fail); the mails
   * behind it stay queued.
   */
  runMails(): number {
    let n = 0;
    while (this.mails.length > 0) {
      const mail = this.mails.shift()!;
      n++;
      mail();
    }
    return n;
  }

  /**
   * Lets pending promise reactions run, then runs mails, repeating until a turn brings no new
   * mail. Use after resolving the promises an operator waits for. Returns how many mails ran.
   */
  async drainMails(): Promise<number> {
    let n = 0;
    for (;;) {
      await settle();
      if (this.mails.length === 0) return n;
      n += this.runMails();
    }
  }

  /** Waits until at least one mail is queued, then runs all queued mails. Returns how many ran. */
  async waitForMails(): Promise<number> {
    while (this.mails.length === 0) await this.nextMail();
    return this.runMails();
  }

  /** Waits for mails and runs them until the input is no longer held (returns at once if it is not). */
  async waitForInputAvailable(): Promise<void> {
    while (this.hold !== undefined) {
      const hold = this.hold;
      await Promise.race([hold, this.nextMail()]);
      this.runMails();
    }
  }

  /**
   * Awaits `work` while running mails, as a task does while an operator finishes: mails that
   * arrive meanwhile run at once. Resolves (or rejects) with `work`'s outcome; a mail that throws
   * rejects it with that error.
   */
  async runWhileAwaiting<T>(work: T | Promise<T>): Promise<T> {
    this.runMails();
    if (!(work instanceof Promise)) return work;
    let done = false;
    const result = work.finally(() => {
      done = true;
      this.wake();
    });
    result.catch(() => {}); // observed below
    while (!done) {
      await this.nextMail();
      this.runMails();
    }
    return result;
  }

  private release(hold: Promise<void>): void {
    if (this.hold === hold) this.hold = undefined;
    // Wake the waiters so that they re-check the hold.
    this.wake();
  }

  /** Resolves when the next mail arrives or the hold is released. */
  private nextMail(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
