/**
 * Nexmark generator throughput: 5M events (default config, seed 42), single thread, every field
 * built. Not a test; prints figures. Run from the repo root:
 *
 *   node --import tsx connectors/datagen/src/nexmark/generator.bench.ts [events] [rounds]
 */
import { nexmarkConfig } from './config.js';
import { NexmarkGenerator } from './generator.js';

const events = Number(process.argv[2] ?? 5_000_000);
const rounds = Number(process.argv[3] ?? 3);

function run(n: number): { seconds: number; checksum: number } {
  const generator = new NexmarkGenerator(nexmarkConfig({ seed: 42, maxEvents: n }));
  let checksum = 0;
  const start = process.hrtime.bigint();
  while (generator.hasNext()) {
    const e = generator.next();
    // Touch one field per kind so the work cannot be optimised away.
    checksum += e.kind === 'bid' ? e.price + e.extra.length : e.kind === 'person' ? e.name.length : e.reserve;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, checksum };
}

run(200_000); // warm-up (also builds the shared tables)
const rates: number[] = [];
for (let r = 0; r < rounds; r++) {
  const { seconds, checksum } = run(events);
  const rate = events / seconds;
  rates.push(rate);
  process.stdout.write(
    `round ${r + 1}: ${events} events in ${seconds.toFixed(3)} s = ${(rate / 1e6).toFixed(2)}M events/s (checksum ${checksum})\n`,
  );
}
rates.sort((a, b) => a - b);
process.stdout.write(`median: ${(rates[Math.floor(rates.length / 2)] / 1e6).toFixed(2)}M events/s\n`);
