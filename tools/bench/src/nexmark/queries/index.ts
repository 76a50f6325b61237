import type { NexmarkQuery } from './nexmark-query.js';
import { q0 } from './q0.js';
import { q1 } from './q1.js';
import { q2 } from './q2.js';
import { q3 } from './q3.js';
import { q4 } from './q4.js';
import { q5 } from './q5.js';
import { q7 } from './q7.js';
import { q8 } from './q8.js';
import { q11 } from './q11.js';
import { q12 } from './q12.js';
import { q14 } from './q14.js';
import { q15 } from './q15.js';
import { q17 } from './q17.js';
import { q19 } from './q19.js';
import { q20 } from './q20.js';
import { q21 } from './q21.js';
import { q22 } from './q22.js';

export type { NexmarkQuery, NexmarkQueryGroup, Cell } from './nexmark-query.js';

/** Every implemented query by name, in the order of the published tables. */
export const NEXMARK_QUERIES: Readonly<Record<string, NexmarkQuery<unknown>>> = Object.fromEntries(
  // Each query has its own row type; the registry erases it (rows are handled as unknown).
  ([q0, q1, q2, q3, q4, q5, q7, q8, q11, q12, q14, q15, q17, q19, q20, q21, q22] as unknown as NexmarkQuery<unknown>[]).map((q) => [q.name, q]),
);

/** The query named `name`; throws listing the known names when there is none. */
export function nexmarkQuery(name: string): NexmarkQuery<unknown> {
  const q = NEXMARK_QUERIES[name];
  if (q === undefined) throw new Error(`unknown Nexmark query '${name}' (known: ${Object.keys(NEXMARK_QUERIES).join(', ')})`);
  return q;
}
