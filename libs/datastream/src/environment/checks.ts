/** Throws unless `p` is a positive integer. */
export function checkParallelism(p: number): void {
  if (!Number.isInteger(p) || p < 1) throw new Error(`The parallelism must be a positive integer, got ${p}`);
}

/** Throws unless `m` is an integer in [1, 32768]. */
export function checkMaxParallelism(m: number): void {
  if (!Number.isInteger(m) || m < 1 || m > 32768) throw new Error(`The max parallelism must be an integer in [1, 32768], got ${m}`);
}
