import { SeededRandom, seedFor } from './random.js';

/**
 * The card transactions of the fraud-detection example, with fraud patterns planted on purpose —
 * and near misses that a correct detector must not report.
 *
 * One transaction per second (transaction `i` happens at `START + i` seconds), in timestamp
 * order. The stream is cut into blocks of {@link TRANSACTION_BLOCK_SIZE} transactions; each block
 * plays one {@link FraudScenario} on one account (the block's target account), and every other
 * transaction of the block is ordinary traffic on the other accounts. Ordinary amounts lie in
 * [1.00, 500.00], so they are never "small" (< 1.00) nor "large" (> 500.00): the only small and
 * large amounts are the planted ones, and the planted frauds are exactly the alerts.
 */

/** A card transaction (Flink's walkthrough `Transaction`). */
export interface Transaction {
  readonly accountId: number;
  /** Event time (epoch ms). */
  readonly timestamp: number;
  /** In dollars, two decimals. */
  readonly amount: number;
}

/** A fraud alert: the large transaction that completed the pattern. */
export interface Alert {
  readonly accountId: number;
  readonly timestamp: number;
  readonly amount: number;
}

/**
 * What a block plays on its target account (t is the first planted transaction):
 * - `fraud`: small at t, large at t + 1…59 s → alert
 * - `fraud-after-small-run`: small, another small 1…30 s later, large 1…59 s after that → alert
 * - `too-late`: small, large 61 s later
 * - `exactly-one-minute`: small, large 60 s later (within one minute means less than 60 s)
 * - `large-then-small`: the right amounts in the wrong order
 * - `interrupted`: small, an ordinary transaction, large, all within a minute (the large one does
 *   not directly follow the small one)
 * - `not-small-enough`: 1.00, then large (small means below 1.00)
 * - `not-large-enough`: small, then 500.00 (large means above 500.00)
 * - `quiet`: nothing planted
 */
export const FRAUD_SCENARIOS = [
  'fraud',
  'fraud-after-small-run',
  'too-late',
  'exactly-one-minute',
  'large-then-small',
  'interrupted',
  'not-small-enough',
  'not-large-enough',
  'quiet',
] as const;
export type FraudScenario = (typeof FRAUD_SCENARIOS)[number];

/** The scenarios that must raise an alert. */
export const FRAUD_SCENARIOS_WITH_ALERT: ReadonlySet<FraudScenario> = new Set(['fraud', 'fraud-after-small-run']);

/** A block's planted transactions: offsets within the block (seconds) and amounts. */
export interface PlantedScenario {
  readonly block: number;
  readonly scenario: FraudScenario;
  readonly accountId: number;
  readonly planted: ReadonlyArray<{ readonly offset: number; readonly amount: number }>;
}

/** Time of transaction 0: 2024-05-06 09:00 UTC. */
export const TRANSACTION_START = Date.UTC(2024, 4, 6, 9, 0, 0);
/** Transactions (and seconds) per block. */
export const TRANSACTION_BLOCK_SIZE = 120;

const cents = (c: number) => c / 100;
const small = (r: SeededRandom) => cents(1 + r.nextInt(99)); // 0.01 … 0.99
const large = (r: SeededRandom) => cents(50_001 + r.nextInt(450_000)); // 500.01 … 5000.00
const ordinary = (r: SeededRandom) => cents(100 + r.nextInt(49_901)); // 1.00 … 500.00
const within = (r: SeededRandom, lo: number, hi: number) => lo + r.nextInt(hi - lo + 1);

/** What block `block` plays, on which account, with which transactions: a pure function of its arguments. */
export function plantedScenario(block: number, seed: number, accounts: number, random = new SeededRandom()): PlantedScenario {
  random.reseed(seedFor(seed, block, 31));
  const scenario = random.pick(FRAUD_SCENARIOS);
  // Consecutive blocks target different accounts (accounts >= 2), so patterns never overlap.
  const accountId = 1 + ((block + seed) % accounts);
  const t = within(random, 5, 24);
  let planted: Array<{ offset: number; amount: number }>;
  switch (scenario) {
    case 'fraud':
      planted = [{ offset: t, amount: small(random) }, { offset: t + within(random, 1, 59), amount: large(random) }];
      break;
    case 'fraud-after-small-run': {
      const second = t + within(random, 1, 30);
      planted = [
        { offset: t, amount: small(random) },
        { offset: second, amount: small(random) },
        { offset: second + within(random, 1, 59), amount: large(random) },
      ];
      break;
    }
    case 'too-late':
      planted = [{ offset: t, amount: small(random) }, { offset: t + 61, amount: large(random) }];
      break;
    case 'exactly-one-minute':
      planted = [{ offset: t, amount: small(random) }, { offset: t + 60, amount: large(random) }];
      break;
    case 'large-then-small':
      planted = [{ offset: t, amount: large(random) }, { offset: t + within(random, 1, 59), amount: small(random) }];
      break;
    case 'interrupted': {
      const between = t + within(random, 1, 29);
      planted = [
        { offset: t, amount: small(random) },
        { offset: between, amount: ordinary(random) },
        { offset: between + within(random, 1, 29), amount: large(random) },
      ];
      break;
    }
    case 'not-small-enough':
      planted = [{ offset: t, amount: 1 }, { offset: t + within(random, 1, 59), amount: large(random) }];
      break;
    case 'not-large-enough':
      planted = [{ offset: t, amount: small(random) }, { offset: t + within(random, 1, 59), amount: 500 }];
      break;
    case 'quiet':
      planted = [];
      break;
  }
  return { block, scenario, accountId, planted };
}

/** Transaction `index` of the stream generated with `seed` over `accounts` accounts (at least 2). */
export function transactionAt(index: number, seed: number, accounts: number, random = new SeededRandom()): Transaction {
  const block = Math.floor(index / TRANSACTION_BLOCK_SIZE);
  const offset = index % TRANSACTION_BLOCK_SIZE;
  const timestamp = TRANSACTION_START + index * 1000;
  const { accountId: target, planted } = plantedScenario(block, seed, accounts, random);
  for (const p of planted) if (p.offset === offset) return { accountId: target, timestamp, amount: p.amount };
  random.reseed(seedFor(seed, index, 32));
  const other = random.nextInt(accounts - 1); // any account but the target
  return { accountId: 1 + (other >= target - 1 ? other + 1 : other), timestamp, amount: ordinary(random) };
}

/** The alerts the planted scenarios of the first `count` transactions must raise (patterns cut off by the end are left out). */
export function plantedAlerts(count: number, seed: number, accounts: number): Alert[] {
  const alerts: Alert[] = [];
  for (let block = 0; block * TRANSACTION_BLOCK_SIZE < count; block++) {
    const s = plantedScenario(block, seed, accounts);
    if (!FRAUD_SCENARIOS_WITH_ALERT.has(s.scenario)) continue;
    const last = s.planted[s.planted.length - 1]!;
    const index = block * TRANSACTION_BLOCK_SIZE + last.offset;
    if (index < count) alerts.push({ accountId: s.accountId, timestamp: TRANSACTION_START + index * 1000, amount: last.amount });
  }
  return alerts;
}
