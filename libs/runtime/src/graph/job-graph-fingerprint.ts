import { hash128Hex } from './operator-uid.js';
import type { StreamGraph } from './stream-graph.js';
import type { JobGraph } from './job-graph.js';

/**
 * A hash of the StreamGraph's structure: node ids, names, kinds, input counts, parallelisms,
 * max parallelisms, slot sharing groups, chaining strategies, user uids and output serializer
 * ids; edges with their endpoints, input index, partitioner kind and side-output tag; and the
 * job-wide chaining switch and max parallelism. Functions (operators, key selectors) cannot be
 * compared, so two graphs with the same fingerprint may still run different code; the
 * fingerprint catches a job module that builds a different graph in a worker (non-determinism,
 * a changed module, different params). 32 hex characters.
 */
export function streamGraphFingerprint(graph: StreamGraph): string {
  const parts: string[] = [
    `riffle-graph-v1|chaining=${graph.config.chainingEnabled}|maxp=${graph.config.maxParallelism}|mode=${graph.config.runtimeMode}`,
  ];
  const ids = [...graph.nodes.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const n = graph.getNode(id);
    parts.push(
      `N${n.id}|${JSON.stringify(n.name)}|${n.kind}|${n.inputCount}|p=${n.parallelism}|mp=${n.maxParallelism}` +
        `|ssg=${JSON.stringify(n.slotSharingGroup)}|${n.chainingStrategy}|uid=${JSON.stringify(n.uid ?? null)}` +
        `|ser=${JSON.stringify(n.outputSerializer?.id ?? null)}`,
    );
  }
  for (const e of graph.edges) {
    parts.push(`E${e.id}|${e.sourceId}|${e.targetId}|${e.inputIndex}|${e.partitioner.kind}|${JSON.stringify(e.sideOutputTag ?? null)}`);
  }
  return hash128Hex(parts.join('\n'));
}

/**
 * Throws unless `graph` (rebuilt from the job module in this process) has the fingerprint the
 * JobGraph was made with. Call before instantiating any operator of the job in a worker.
 */
export function assertSameStreamGraph(jobGraph: JobGraph, graph: StreamGraph): void {
  const actual = streamGraphFingerprint(graph);
  if (actual !== jobGraph.fingerprint) {
    throw new Error(
      `Job '${jobGraph.jobName}' (${jobGraph.jobId}): the job module built a different StreamGraph in this process ` +
        `(fingerprint ${actual}, expected ${jobGraph.fingerprint}). Building the graph must be deterministic ` +
        `and free of side effects, and every process must load the same job module with the same parameters.`,
    );
  }
}
