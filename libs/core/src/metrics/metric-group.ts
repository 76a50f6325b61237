/**
 * Metrics a user function or connector reports (Flink's `org.apache.flink.metrics` names). A
 * function gets its operator's group from `getRuntimeContext().getMetricGroup()` in `open` and
 * keeps the returned metric objects: updating them is a field write on the per-record path.
 *
 * The runtime reads every metric of a task when the task ends and sums each metric over the
 * subtasks of its operator; `JobExecutionResult.getMetrics()` returns the sums, named
 * `<operator name>.<group>...<metric>`.
 */

/** A count that goes up (and, rarely, down). */
export interface Counter {
  inc(n?: number): void;
  dec(n?: number): void;
  getCount(): number;
}

/** A value read when metrics are reported. Numeric gauges are summed over subtasks; others are ignored. */
export interface Gauge<T> {
  getValue(): T;
}

/** A named scope of metrics: one per operator subtask, with optional nested groups. */
export interface MetricGroup {
  /** Registers (or returns the already registered) counter `name`; pass one to use your own implementation. */
  counter(name: string, counter?: Counter): Counter;
  /** Registers gauge `name` and returns it. */
  gauge<T, G extends Gauge<T>>(name: string, gauge: G): G;
  /** A nested group: its metrics are named `<this group>.<name>.<metric>`. */
  addGroup(name: string): MetricGroup;
}

/** The plain {@link Counter}: a number field. */
export class SimpleCounter implements Counter {
  private count = 0;

  inc(n = 1): void {
    this.count += n;
  }

  dec(n = 1): void {
    this.count -= n;
  }

  getCount(): number {
    return this.count;
  }
}

/**
 * A {@link MetricGroup} that registers metrics under dotted names in one flat map, and reads
 * them all at once. The runtime gives every operator of a task a group of one registry; tests
 * and harnesses can use it directly.
 */
export class MetricRegistryGroup implements MetricGroup {
  private constructor(
    private readonly prefix: string,
    private readonly metrics: Map<string, Counter | Gauge<unknown>>,
  ) {}

  /** A root group whose metric names start with `prefix.` (or nothing when `prefix` is empty). */
  static root(prefix = ''): MetricRegistryGroup {
    return new MetricRegistryGroup(prefix, new Map());
  }

  counter(name: string, counter?: Counter): Counter {
    const key = this.key(name);
    const existing = this.metrics.get(key);
    if (existing !== undefined && isCounter(existing)) return existing;
    const c = counter ?? new SimpleCounter();
    this.metrics.set(key, c);
    return c;
  }

  gauge<T, G extends Gauge<T>>(name: string, gauge: G): G {
    this.metrics.set(this.key(name), gauge as Gauge<unknown>);
    return gauge;
  }

  addGroup(name: string): MetricRegistryGroup {
    return new MetricRegistryGroup(this.key(name), this.metrics);
  }

  /** Every counter and numeric gauge registered through this registry (any group of it), by full name. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, m] of this.metrics) {
      if (isCounter(m)) {
        out[name] = m.getCount();
      } else {
        const v = m.getValue();
        if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
      }
    }
    return out;
  }

  private key(name: string): string {
    if (name.length === 0) throw new Error('a metric or group name must not be empty');
    return this.prefix.length === 0 ? name : `${this.prefix}.${name}`;
  }
}

function isCounter(m: Counter | Gauge<unknown>): m is Counter {
  return typeof (m as Counter).getCount === 'function';
}
