/**
 * Errors thrown by user code are tagged with the operator they escaped from, so that the job's
 * failure names it. The innermost operator tags first; outer ones leave the tag alone.
 */
export const OPERATOR_TAG = 'riffleOperatorName';

/** Tags `e` with `operatorName` unless an inner operator already did, and returns it. */
export function tagOperatorError(e: unknown, operatorName: string): unknown {
  if (e !== null && typeof e === 'object' && !(OPERATOR_TAG in e)) {
    try {
      Object.defineProperty(e, OPERATOR_TAG, { value: operatorName, enumerable: false, configurable: true });
    } catch {
      // frozen error objects keep their identity; the task name still identifies the chain
    }
  }
  return e;
}
