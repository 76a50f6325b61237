import { NexmarkSource, type NexmarkEvent } from '@riffle/connector-datagen';
import { defineJob } from '@riffle/datastream';
import { isNexmarkProfile, nexmarkSourceFor } from './nexmark-options.js';
import { nexmarkQuery } from './queries/index.js';
import { MetricsSink, OriginStamp } from './metrics-sink.js';

/**
 * One Nexmark query over a bounded Nexmark source:
 * `--query qN[,qM…] --events N [--seed 42] [--profile v1|v2] [--rate R] [--checkpoint-interval ms]
 * [--sink metrics|collect] [--run-id id]`. `collect` gathers each query's canonical rows (collect
 * id = the query name; upserting queries prefix the upsert key) for the correctness checks; `metrics` (default) counts the results and reports GC time and latency to
 * the runner over a BroadcastChannel.
 */
export default defineJob((env, params) => {
  const queries = params.get('query', 'q0').split(',').map(nexmarkQuery);
  const runId = params.get('run-id', 'nexmark');
  const profile = params.get('profile', 'v1');
  if (!isNexmarkProfile(profile)) throw new Error(`--profile must be v1 or v2, got '${profile}'`);
  const source = nexmarkSourceFor({
    events: params.getNumber('events', 1_000_000),
    seed: params.getNumber('seed', 42),
    profile,
    ...(params.has('rate') ? { rate: params.getNumber('rate') } : {}),
  });
  const interval = params.getNumber('checkpoint-interval', 0);
  if (interval > 0) env.enableCheckpointing(interval);
  const events = env.fromSource(source, NexmarkSource.watermarkStrategy(), 'Nexmark');
  if (params.get('sink', 'metrics') === 'collect') {
    // Correctness runs: any number of queries over the one source, each into its own collect id.
    for (const query of queries) {
      const key = query.upsertKey;
      query
        .build(events)
        .map((r) => (key ? [key(r), ...query.row(r)] : query.row(r)))
        .name(`${query.name} canonical rows`)
        .addCollectSink(query.name);
    }
    return;
  }
  if (queries.length !== 1) throw new Error('--query: the metrics sink measures one query at a time');
  const baseTime = profile === 'v2' && !queries[0]!.processingTime ? source.config.baseTime : undefined;
  let input = events;
  if (baseTime !== undefined) input = events.map(new OriginStamp<NexmarkEvent>(runId, baseTime)).name('origin stamp');
  queries[0]!.build(input).addSink(new MetricsSink<unknown>(runId, baseTime)).name('metrics sink');
});
