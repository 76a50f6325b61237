/**
 * Names and shapes of the runtime services an operator can find in
 * `StreamOperatorParameters.services`. Operators look them up by these keys at `setup`/`open`.
 */

/** Sends collected records back to the client that submitted the job (collect sinks). */
export interface CollectService {
  /** Ships a batch of values for the collect sink `collectId`; values must be structured-cloneable. */
  send(collectId: string, values: unknown[]): void;
}

export const COLLECT_SERVICE = 'riffle.collect';
