/**
 * The asynchronous DuckDB calls of one connection that have not settled yet.
 *
 * Closing a connection (or ending its worker thread) while one of its queries runs on the libuv
 * thread pool deadlocks DuckDB: the query's thread drops the last reference to the client context
 * and then waits for the context lock it holds itself. The worker thread then never ends, and a
 * job restart that frees its slot waits forever (seen in the Kafka -> DuckDB tests). So every
 * owner of a connection runs its asynchronous calls through {@link track} and awaits {@link idle}
 * before it closes the connection.
 */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Registers `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return work;
  }

  /** Resolves once everything tracked so far has settled (successfully or not). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  get size(): number {
    return this.pending.size;
  }
}
