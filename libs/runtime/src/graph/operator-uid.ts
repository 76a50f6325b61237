import type { StreamGraph } from './stream-graph.js';

/**
 * Operator uids: the identity under which an operator's state is stored in checkpoints and
 * savepoints. A user-set uid (`.uid()`) is used as is; otherwise the uid is a hash of the node's
 * position in the graph (Flink's `StreamGraphHasherV2` idea): its index in the graph's
 * topological order, its input and output counts and the uids of its inputs. Names, parallelism
 * and chaining do not enter the hash, so renaming an operator or rescaling the job keeps its
 * state; inserting or removing an operator upstream changes the uids downstream of it.
 */

/**
 * A 128-bit non-cryptographic hash of a string as 32 lowercase hex characters (four 32-bit
 * multiply-xor lanes, cyrb128). Pure, deterministic across processes and platforms.
 */
export function hash128Hex(input: string): string {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < input.length; i++) {
    const k = input.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}

/**
 * Computes the uid of every node of the graph, by node id. User-set uids are returned as set;
 * generated ones are 32 hex characters. Throws on duplicate uids (naming both operators) and on
 * a cyclic graph. The result depends only on the graph's structure and user uids, so a job module
 * rebuilt in another process yields the same map.
 */
export function computeOperatorUids(graph: StreamGraph): Map<number, string> {
  const uids = new Map<number, string>();
  const owners = new Map<string, string>();
  const order = graph.topologicalOrder();
  for (let index = 0; index < order.length; index++) {
    const node = graph.getNode(order[index]!);
    let uid: string;
    if (node.uid !== undefined) {
      if (node.uid === '') throw new Error(`Operator '${node.name}' has an empty uid`);
      uid = node.uid;
    } else {
      const inputs = graph
        .inEdges(node.id)
        .map((e, i) => ({ e, i }))
        .sort((a, b) => a.e.inputIndex - b.e.inputIndex || a.i - b.i)
        .map(({ e }) => `${e.inputIndex}:${uids.get(e.sourceId)}:${e.sideOutputTag ?? ''}`);
      const outputs = graph.outEdges(node.id).length;
      uid = hash128Hex(`riffle-uid-v1|${index}|${node.kind}|${node.inputCount}|${outputs}|${inputs.join(',')}`);
    }
    const other = owners.get(uid);
    if (other !== undefined) throw new Error(`Duplicate uid '${uid}' on operators '${other}' and '${node.name}'`);
    owners.set(uid, node.name);
    uids.set(node.id, uid);
  }
  return uids;
}
