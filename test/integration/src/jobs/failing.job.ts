import { BroadcastChannel } from 'node:worker_threads';
import { KeyedProcessFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { RestartStrategies, defineJob } from '@riffle/datastream';

/**
 * `fromSequence(0, 100_000)` → keyBy(x % 16) → "Exploding Map" → collect sink `out`.
 *
 * - `--fail-at N`: the subtask that gets record N throws `RangeError: record N is cursed`.
 * - `--block-key K --fail-key F --block-seconds S --channel NAME`: instead, the subtask that gets
 *   the first record of key K blocks its worker thread for S seconds (`Atomics.wait`): it answers
 *   no cancellation, as a thread stuck in a driver would (terminating the thread does end this
 *   wait). The subtask of key F throws `RangeError: key F is cursed` from a processing-time timer,
 *   and only once the blocking subtask said (on the BroadcastChannel NAME) that it is blocked: the
 *   failure always meets a blocked thread, whichever source subtask reads which split, and needs
 *   no record to flow while the blocked thread holds back the sources.
 * - `--restart true`: the job restarts once (fixed delay 0); failing and blocking happen only in
 *   attempt 0, and attempt 1 emits `1_000_000 + x` (the collect sink also keeps what attempt 0
 *   sent before it failed).
 */
class ExplodingMap extends KeyedProcessFunction<number, number, number> {
  private channel: BroadcastChannel | undefined;
  private otherBlocked = false;
  private blocked = false;
  private timerSet = false;

  constructor(
    private readonly failAt: number,
    private readonly block: { key: number; failKey: number; seconds: number; channel: string } | undefined,
  ) {
    super();
  }

  override open(): void {
    if (!this.block || this.getRuntimeContext().getAttemptNumber() > 0) return;
    this.channel = new BroadcastChannel(this.block.channel);
    this.channel.unref();
    this.channel.onmessage = () => (this.otherBlocked = true);
  }

  override close(): void {
    this.channel?.close();
  }

  processElement(x: number, ctx: KeyedProcessContext<number>, out: Collector<number>): void {
    if (this.getRuntimeContext().getAttemptNumber() > 0) {
      out.collect(1_000_000 + x);
      return;
    }
    const block = this.block;
    if (block === undefined) {
      if (x === this.failAt) throw new RangeError(`record ${x} is cursed`);
    } else if (ctx.getCurrentKey() === block.key && !this.blocked) {
      this.blocked = true;
      this.channel!.postMessage('blocked');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, block.seconds * 1000);
    } else if (ctx.getCurrentKey() === block.failKey && !this.timerSet) {
      this.timerSet = true;
      ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 10);
    }
    out.collect(x);
  }

  override onTimer(time: number, ctx: KeyedOnTimerContext<number>): void {
    if (this.otherBlocked) throw new RangeError(`key ${ctx.getCurrentKey()} is cursed`);
    ctx.timerService().registerProcessingTimeTimer(time + 10);
  }
}

export default defineJob((env, params) => {
  const blockKey = params.getNumber('block-key', -1);
  const block =
    blockKey >= 0
      ? { key: blockKey, failKey: params.getNumber('fail-key', -1), seconds: params.getNumber('block-seconds', 0), channel: params.getRequired('channel') }
      : undefined;
  if (params.get('restart') === 'true') env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 0));
  env
    .fromSequence(0, 100_000)
    .keyBy((x) => x % 16)
    .process(new ExplodingMap(params.getNumber('fail-at', 777), block))
    .name('Exploding Map')
    .addCollectSink('out');
});
