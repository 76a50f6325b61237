import { describe, expect, it } from 'vitest';
import { KeyedProcessOperator, runJob } from '@riffle/datastream';
import { KeyedOneInputStreamOperatorTestHarness } from '@riffle/test-utils';
import {
  ALERTS_COLLECT_ID,
  FRAUD_SCENARIOS,
  FraudDetector,
  TRANSACTION_BLOCK_SIZE,
  formatAlert,
  plantedAlerts,
  plantedScenario,
  transactionAt,
  type Alert,
  type Transaction,
} from './fraud-detection.job.js';

const JOB = new URL('./fraud-detection.job.ts', import.meta.url);
const TRANSACTIONS = 12_000;
const ACCOUNTS = 25;
const SEED = 4;

/**
 * The rule, independently: per account, in timestamp order, a transaction above 500.00 whose
 * account's previous transaction was below 1.00 and less than 60 s earlier.
 */
function referenceAlerts(transactions: readonly Transaction[]): Alert[] {
  const previous = new Map<number, Transaction>();
  const alerts: Alert[] = [];
  for (const t of [...transactions].sort((a, b) => a.timestamp - b.timestamp)) {
    const p = previous.get(t.accountId);
    if (p && p.amount < 1 && t.amount > 500 && t.timestamp - p.timestamp < 60_000) alerts.push({ accountId: t.accountId, timestamp: t.timestamp, amount: t.amount });
    previous.set(t.accountId, t);
  }
  return alerts;
}

const sortAlerts = (a: readonly Alert[]) => [...a].sort((x, y) => x.timestamp - y.timestamp || x.accountId - y.accountId);

describe('fraud detection on event time', () => {
  const transactions = Array.from({ length: TRANSACTIONS }, (_, i) => transactionAt(i, SEED, ACCOUNTS));
  const planted = sortAlerts(plantedAlerts(TRANSACTIONS, SEED, ACCOUNTS));

  it('the input plants every scenario, and the planted frauds are exactly what the rule finds', () => {
    const scenarios = Array.from({ length: TRANSACTIONS / TRANSACTION_BLOCK_SIZE }, (_, b) => plantedScenario(b, SEED, ACCOUNTS).scenario);
    for (const s of FRAUD_SCENARIOS) expect(scenarios.filter((x) => x === s).length, s).toBeGreaterThanOrEqual(3);
    expect(planted.length).toBeGreaterThan(10);
    expect(sortAlerts(referenceAlerts(transactions))).toEqual(planted);
    // Only planted transactions are small or large.
    expect(transactions.filter((t) => t.amount < 1 || t.amount > 500).length).toBeLessThan(4 * (TRANSACTIONS / TRANSACTION_BLOCK_SIZE));
  });

  for (const parallelism of [1, 2, 4]) {
    it(`alerts on exactly the planted frauds and none of the near misses, at parallelism ${parallelism}`, async () => {
      const { result } = await runJob(JOB, { parallelism, args: ['--transactions', String(TRANSACTIONS), '--accounts', String(ACCOUNTS), '--seed', String(SEED), '--output', 'collect'] });
      expect(sortAlerts(result!.getCollected<Alert>(ALERTS_COLLECT_ID))).toEqual(planted);
    });
  }

  it('prints an alert readably', () => {
    expect(formatAlert({ accountId: 7, timestamp: Date.UTC(2024, 4, 6, 9, 14, 5), amount: 1234.5 })).toBe(
      'account 7: $1234.50 at 2024-05-06 09:14:05 UTC, less than a minute after a transaction under $1.00',
    );
  });
});

/** The FraudDetector in its real operator, with real keyed state and timers; the test moves the watermark. */
async function detector() {
  return new KeyedOneInputStreamOperatorTestHarness<number, Transaction, Alert>(new KeyedProcessOperator(new FraudDetector()), (t: Transaction) => t.accountId).open();
}

type Harness = Awaited<ReturnType<typeof detector>>;

/** Transaction of account `accountId` at `seconds`. */
function send(h: Harness, seconds: number, amount: number, accountId = 1): void {
  h.processElement({ accountId, timestamp: seconds * 1000, amount }, seconds * 1000);
}

describe('FraudDetector', () => {
  it('alerts on a large transaction that directly follows a small one within a minute', async () => {
    const h = await detector();
    send(h, 0, 0.5);
    send(h, 59.999, 600);
    expect(h.extractOutputValues()).toEqual([{ accountId: 1, timestamp: 59_999, amount: 600 }]);
  });

  it('does not alert a minute or more later, even when the watermark has not yet fired the timer', async () => {
    for (const later of [60, 61]) {
      const h = await detector();
      send(h, 0, 0.5);
      send(h, later, 600);
      expect(h.extractOutputValues()).toEqual([]);
    }
  });

  it('forgets the small transaction when the watermark fires its timer, and cancels the timer when another transaction comes first', async () => {
    const h = await detector();
    send(h, 0, 0.5, 1);
    send(h, 1, 0.5, 2);
    expect(h.numEventTimeTimers()).toBe(2);
    expect(h.numKeyedStateEntries()).toBe(4); // flag and timer of both accounts
    h.processWatermark(59_999);
    expect(h.numEventTimeTimers()).toBe(2);
    h.processWatermark(60_000);
    expect(h.numEventTimeTimers()).toBe(1);
    expect(h.numKeyedStateEntries()).toBe(2);
    send(h, 30, 20, 2);
    expect(h.numEventTimeTimers()).toBe(0);
    expect(h.numKeyedStateEntries()).toBe(0);
  });

  it('needs the large transaction directly after the small one, and strict thresholds', async () => {
    const cases: Array<[string, Array<[number, number]>, number]> = [
      ['interrupted', [[0, 0.5], [10, 20], [20, 600]], 0],
      ['large then small', [[0, 600], [10, 0.5]], 0],
      ['1.00 is not small', [[0, 1], [10, 600]], 0],
      ['500.00 is not large', [[0, 0.5], [10, 500]], 0],
      ['a second small one restarts the minute', [[0, 0.5], [30, 0.2], [80, 501]], 1],
    ];
    for (const [name, txns, alerts] of cases) {
      const h = await detector();
      for (const [at, amount] of txns) send(h, at, amount);
      expect(h.extractOutputValues(), name).toHaveLength(alerts);
    }
  });

  it('restores its flag and timer from a snapshot and continues', async () => {
    const first = await detector();
    send(first, 0, 0.5, 1);
    send(first, 5, 0.5, 2);
    const snapshot = first.snapshot();
    const second = new KeyedOneInputStreamOperatorTestHarness<number, Transaction, Alert>(new KeyedProcessOperator(new FraudDetector()), (t: Transaction) => t.accountId);
    second.initializeState(snapshot);
    await second.open();
    expect(second.numEventTimeTimers()).toBe(2);
    second.processWatermark(60_000); // account 1's minute is over
    send(second, 61, 900, 1);
    send(second, 62, 900, 2);
    expect(second.extractOutputValues()).toEqual([{ accountId: 2, timestamp: 62_000, amount: 900 }]);
  });
});
