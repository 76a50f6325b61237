import { dynamicSerializer, type TypeSerializer } from '@riffle/core';
import { SideOutputTransformation, type Transformation } from '../transformations/transformation.js';

/**
 * The serializer of the records a transformation produces, as the graph generator would pick
 * it: a side output's tag serializer, a virtual transformation's (first) input's serializer, or
 * the operator's declared output serializer; the dynamic serializer when none is declared.
 * Read when a join is declared, so declare types (`returns`) on the inputs before joining.
 * @internal
 */
export function streamSerializer<T>(transformation: Transformation<T>): TypeSerializer<T> {
  let t: Transformation<unknown> = transformation;
  while (!t.physical) {
    if (t instanceof SideOutputTransformation) return (t.tag.serializer ?? dynamicSerializer()) as TypeSerializer<T>;
    t = t.getInputs()[0]!;
  }
  return (t.outputSerializer ?? dynamicSerializer()) as TypeSerializer<T>;
}
