import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxPartitionBytes, DEFAULT_NETWORK_CONFIG, MiniCluster } from '@riffle/runtime';
import { runJob } from '@riffle/datastream';

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a session MiniCluster', () => {
  let cluster: MiniCluster;
  beforeAll(async () => {
    cluster = await MiniCluster.start({ numTaskManagers: 2, numSlotsPerTaskManager: 2, slotRequestTimeoutMs: 10_000 });
  });
  afterAll(async () => {
    await cluster.close();
  });

  it('stops the worker threads and frees the slots of a cancelled unbounded job, and the next job gets them', async () => {
    const { client } = await runJob(new URL('./jobs/unbounded.job.ts', import.meta.url), {
      parallelism: 4,
      executor: cluster.executor(),
      detached: true,
    });
    await waitFor('the unbounded job to run in 4 worker threads', async () => (await client.getJobStatus()) === 'RUNNING' && cluster.activeWorkerCount() === 4);
    expect((await cluster.slotReport()).reduce((n, r) => n + r.free, 0)).toBe(0);

    await client.cancel();
    expect(await client.getJobStatus()).toBe('CANCELED');
    expect(cluster.activeWorkerCount()).toBe(0);
    expect((await cluster.slotReport()).map((r) => r.free)).toEqual([2, 2]);

    // The next job needs all four slots again.
    const { result } = await runJob(new URL('./jobs/wordcount.job.ts', import.meta.url), {
      parallelism: 4,
      executor: cluster.executor(),
      args: ['--words', '1000'],
    });
    expect(result!.getCollected('counts').length).toBe(1000);
  });

  it('keeps the bytes buffered in the network stack bounded behind a slow consumer, and delivers every record', async () => {
    const n = 10_000_000;
    const { client, result } = await runJob(new URL('./jobs/backpressure.job.ts', import.meta.url), {
      parallelism: 1,
      executor: cluster.executor(),
      args: ['--records', String(n)],
    });
    expect(result!.getCollected('total')).toEqual([{ count: n, sum: (n * (n + 1)) / 2 }]);
    const stats = cluster.networkStats(client.getJobID());
    // Two worker threads: the source's and the slow stage's (its own slot sharing group).
    expect(stats.length).toBe(2);
    // Each thread holds at most its partitions' pools (one single-channel partition each) plus
    // what its input channels granted credit for: a few hundred KiB, while ~80 MB flowed through.
    const cfg = DEFAULT_NETWORK_CONFIG;
    const bound = 2 * maxPartitionBytes(cfg, 1) + 2 * cfg.creditsPerChannel * cfg.bufferSize;
    for (const s of stats) {
      expect(s.maxBufferedBytes).toBeGreaterThan(0);
      expect(s.maxBufferedBytes).toBeLessThanOrEqual(bound);
      expect(s.excessBufferRequests).toBe(0);
    }
  });
});
