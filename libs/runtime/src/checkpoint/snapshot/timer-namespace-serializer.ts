import { dynamicSerializer, type DataInputView, type DataOutputView, type TypeSerializer } from '@riffle/core';
import { VoidNamespace } from '@riffle/state';

const VOID = 0;
const DYNAMIC = 1;

/**
 * The namespace serializer of timer services registered without one: one tag byte, then
 * nothing for `VoidNamespace.INSTANCE` (process functions' timers) or the value through the
 * dynamic serializer (primitives, arrays, plain objects: e.g. the interval join's timestamps).
 * Class instances other than `VoidNamespace` do not come back as their class: register such
 * services with their own serializer (windows pass their window serializer).
 */
export const DEFAULT_TIMER_NAMESPACE_SERIALIZER: TypeSerializer<unknown> = Object.freeze({
  id: 'timer-namespace(void|dynamic)',
  serialize(value: unknown, out: DataOutputView): void {
    if (value === VoidNamespace.INSTANCE) {
      out.writeUint8(VOID);
    } else {
      out.writeUint8(DYNAMIC);
      dynamicSerializer().serialize(value, out);
    }
  },
  deserialize(input: DataInputView): unknown {
    const tag = input.readUint8();
    if (tag === VOID) return VoidNamespace.INSTANCE;
    if (tag === DYNAMIC) return dynamicSerializer().deserialize(input);
    throw new Error(`timer namespace: unknown tag ${tag}`);
  },
  copy(value: unknown): unknown {
    return value === VoidNamespace.INSTANCE ? value : dynamicSerializer().copy(value);
  },
});
