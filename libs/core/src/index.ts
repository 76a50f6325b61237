export * from './stream-element.js';
export * from './serialization/type-serializer.js';
export * from './functions/runtime-context.js';
export * from './metrics/metric-group.js';
export * from './functions/output-tag.js';
export * from './functions/collector.js';
export * from './functions/functions.js';
export * from './functions/aggregate-function.js';
export * from './functions/process-function.js';
export * from './operator.js';
export * from './connector/source.js';
export * from './connector/sink.js';
export * from './connector/delivery-guarantee.js';
export * from './connector/split-list-serializer.js';
export * from './connector/static-split-enumerator.js';
export * from './keys/key-groups.js';
export * from './logger.js';
export * from './config.js';
export { DataOutputSerializer } from './serialization/data-output-serializer.js';
export { DataInputDeserializer } from './serialization/data-input-deserializer.js';
export { DynamicSerializer, dynamicSerializer, DYNAMIC_SERIALIZER_VERSION } from './serialization/dynamic-serializer.js';
export {
  InputShapeTable,
  OutputShapeTable,
  MAX_SHAPE_KEYS,
  MAX_SHAPES,
  MAX_SHAPES_PER_LENGTH,
  type ObjectShape,
  type ShapeCodec,
} from './serialization/object-shapes.js';
export type { TypeInformation, InferType } from './types/type-information.js';
export { Types } from './types/types.js';
export type { TupleOf, RowOf } from './types/composite-types.js';
export * from './eventtime/watermark-generator.js';
export * from './eventtime/watermark-strategy.js';
export * from './eventtime/time.js';
