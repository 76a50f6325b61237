/**
 * Fraud detection, after Flink's walkthrough "Fraud Detection with the DataStream API": an account
 * that makes a small transaction (below $1.00) and then, as its very next transaction, a large one
 * (above $500.00) within one minute raises an alert — card thieves test a stolen card with a tiny
 * purchase before the big one.
 *
 * Shows: `keyBy(account)` + a `KeyedProcessFunction` with keyed state
 * (`getRuntimeContext().getState(new ValueStateDescriptor(...))`: a `ValueState<boolean>` flag
 * "the last transaction was small" and a `ValueState<number>` holding the timer) and a timer that
 * clears the flag when the minute is over (`registerEventTimeTimer` / `onTimer` /
 * `deleteEventTimeTimer`).
 *
 * One difference from the walkthrough: it uses processing time (the minute starts when the small
 * transaction is processed), so its alerts depend on how fast the job runs. This version uses
 * **event time**, the transaction's own timestamp, so that the alerts are a function of the input
 * and the same in every run. With event time the timer fires only when the watermark passes the
 * end of the minute, which may be after the next transaction was processed; so the detector also
 * compares the large transaction's timestamp with the timer (`timestamp < timer`) before it
 * alerts, and the timer's job is what it is in the walkthrough: clear the state so it does not
 * grow. "Within one minute" therefore means less than 60 s later.
 *
 * Run it:
 *   npx riffle run apps/examples/src/fraud-detection.job.ts -p 2
 *   npx riffle run apps/examples/src/fraud-detection.job.ts -p 2 -- --transactions 20000 --accounts 50
 *
 * Parameters (after `--`):
 *   --transactions N  generated transactions, one per second (default 6000)
 *   --accounts A      accounts (default 20, at least 2)
 *   --seed S          seed of the generated transactions (default 1)
 *   --output MODE     print (default): one `alert> …` line per alert; collect: collect id 'alerts' ({@link Alert})
 *
 * The generated transactions contain planted frauds and near misses (see `transactions.ts`). They
 * are in timestamp order and come from a source with parallelism 1, so each account's
 * transactions reach its detector in order at any parallelism.
 */
import { KeyedProcessFunction, Types, WatermarkStrategy, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { defineJob } from '@riffle/datastream';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';
import { SeededRandom } from './random.js';
import { transactionAt, type Alert, type Transaction } from './transactions.js';

export * from './transactions.js';

/** Collect id of `--output collect`. */
export const ALERTS_COLLECT_ID = 'alerts';

/** Flink's `FraudDetector`, on event time. Keyed by account id. */
export class FraudDetector extends KeyedProcessFunction<number, Transaction, Alert> {
  static readonly SMALL_AMOUNT = 1.0;
  static readonly LARGE_AMOUNT = 500.0;
  static readonly ONE_MINUTE = 60 * 1000;

  /** Set while the account's last transaction was small and its minute is not over. */
  private flagState!: ValueState<boolean>;
  /** The end of that minute: the event-time timer that clears the flag. */
  private timerState!: ValueState<number>;

  override open(): void {
    this.flagState = this.getRuntimeContext().getState(new ValueStateDescriptor<boolean>('flag', Types.BOOLEAN));
    this.timerState = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('timer-state', Types.NUMBER));
  }

  processElement(transaction: Transaction, ctx: KeyedProcessContext<number>, out: Collector<Alert>): void {
    const lastTransactionWasSmall = this.flagState.value();
    if (lastTransactionWasSmall !== undefined) {
      // The timer may not have fired yet (the watermark trails event time): compare timestamps.
      if (transaction.amount > FraudDetector.LARGE_AMOUNT && transaction.timestamp < this.timerState.value()!) {
        out.collect({ accountId: transaction.accountId, timestamp: transaction.timestamp, amount: transaction.amount });
      }
      // Any transaction after a small one ends the pattern.
      this.cleanUp(ctx);
    }
    if (transaction.amount < FraudDetector.SMALL_AMOUNT) {
      this.flagState.update(true);
      const timer = transaction.timestamp + FraudDetector.ONE_MINUTE;
      ctx.timerService().registerEventTimeTimer(timer);
      this.timerState.update(timer);
    }
  }

  override onTimer(_timestamp: number, _ctx: KeyedOnTimerContext<number>, _out: Collector<Alert>): void {
    // The minute is over: forget the small transaction.
    this.timerState.clear();
    this.flagState.clear();
  }

  private cleanUp(ctx: KeyedProcessContext<number>): void {
    const timer = this.timerState.value();
    if (timer !== undefined) ctx.timerService().deleteEventTimeTimer(timer);
    this.timerState.clear();
    this.flagState.clear();
  }
}

/** The line `--output print` writes for an alert. */
export function formatAlert(a: Alert): string {
  const at = new Date(a.timestamp).toISOString().replace('T', ' ').slice(0, 19);
  return `account ${a.accountId}: $${a.amount.toFixed(2)} at ${at} UTC, less than a minute after a transaction under $1.00`;
}

export default defineJob((env, params) => {
  const output = params.get('output', 'print');
  if (output !== 'print' && output !== 'collect') throw new Error(`--output must be print or collect, got '${output}'`);
  const count = params.getNumber('transactions', 6000);
  const accounts = params.getNumber('accounts', 20);
  const seed = params.getNumber('seed', 1);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--transactions must be a positive integer, got ${count}`);
  if (!Number.isInteger(accounts) || accounts < 2) throw new Error(`--accounts must be an integer >= 2, got ${accounts}`);

  // Reseeded for every transaction, so instances that share it (same thread) cannot disturb each other.
  const random = new SeededRandom();
  const transactions = env
    .fromSequence(0, count - 1)
    .name('Transaction Numbers')
    .setParallelism(1)
    .map((i) => transactionAt(i, seed, accounts, random))
    .name('Transactions')
    .setParallelism(1)
    // Timestamps never decrease, so the watermark simply follows them.
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Transaction>().withTimestampAssigner((t) => t.timestamp))
    .name('Timestamps/Watermarks')
    .setParallelism(1);

  const alerts = transactions
    .keyBy((t) => t.accountId)
    .process(new FraudDetector())
    .name('Fraud Detector');

  if (output === 'print') alerts.map(formatAlert).name('Format Alerts').print('alert');
  else alerts.addCollectSink(ALERTS_COLLECT_ID);
});
