/** The rows of the Parquet sink benchmark, shared by the job and the bare-writer baseline. */
export interface BenchRow {
  id: number;
  user: string;
  amount: number;
  ok: boolean;
  ts: number;
  cnt: number | null;
}

export const BENCH_SCHEMA = {
  id: 'int64',
  user: 'string',
  amount: 'double',
  ok: 'boolean',
  ts: 'timestamp-millis',
  cnt: { type: 'int32', nullable: true },
} as const;

const USERS = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
const BASE = Date.UTC(2024, 0, 1);

export function benchRow(i: number): BenchRow {
  return { id: i, user: USERS[i % 1000]!, amount: i * 0.5, ok: (i & 1) === 0, ts: BASE + i, cnt: i % 10 === 0 ? null : i % 100 };
}
