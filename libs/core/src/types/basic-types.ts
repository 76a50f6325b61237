import type { DataInputView, DataOutputView, TypeSerializer } from '../serialization/type-serializer.js';
import type { TypeInformation } from './type-information.js';

/**
 * Serializers of the scalar `Types` entries. Encodings (version 1, pinned by golden tests):
 * number = float64 LE; int = int32 LE; string = varuint UTF-8 length + UTF-8; boolean = one
 * byte 0/1; bigint = int64 LE; date = float64 LE time value; bytes = varuint length + bytes.
 */

/** A {@link TypeInformation} whose serializer is one shared instance. @internal */
export class SimpleTypeInformation<T> implements TypeInformation<T> {
  constructor(
    readonly name: string,
    private readonly serializer: TypeSerializer<T>,
  ) {}
  createSerializer(): TypeSerializer<T> {
    return this.serializer;
  }
  toString(): string {
    return this.name;
  }
}

class NumberSerializer implements TypeSerializer<number> {
  readonly id = 'number';
  serialize(value: number, out: DataOutputView): void {
    out.writeFloat64(value);
  }
  deserialize(input: DataInputView): number {
    return input.readFloat64();
  }
  copy(value: number): number {
    return value;
  }
}

class IntSerializer implements TypeSerializer<number> {
  readonly id = 'int';
  serialize(value: number, out: DataOutputView): void {
    if ((value | 0) !== value) {
      throw new RangeError(`Types.INT holds 32-bit signed integers; got ${value} (use Types.NUMBER)`);
    }
    out.writeInt32(value);
  }
  deserialize(input: DataInputView): number {
    return input.readInt32();
  }
  copy(value: number): number {
    return value;
  }
}

class StringSerializer implements TypeSerializer<string> {
  readonly id = 'string';
  serialize(value: string, out: DataOutputView): void {
    out.writeString(value);
  }
  deserialize(input: DataInputView): string {
    return input.readString();
  }
  copy(value: string): string {
    return value;
  }
}

class BooleanSerializer implements TypeSerializer<boolean> {
  readonly id = 'boolean';
  serialize(value: boolean, out: DataOutputView): void {
    out.writeUint8(value ? 1 : 0);
  }
  deserialize(input: DataInputView): boolean {
    return input.readUint8() !== 0;
  }
  copy(value: boolean): boolean {
    return value;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class BigIntSerializer implements TypeSerializer<bigint> {
  readonly id = 'bigint';
  serialize(value: bigint, out: DataOutputView): void {
    if (value < INT64_MIN || value > INT64_MAX) {
      throw new RangeError(`Types.BIGINT holds 64-bit signed integers; ${value} is out of range (use Types.GENERIC)`);
    }
    out.writeBigInt64(value);
  }
  deserialize(input: DataInputView): bigint {
    return input.readBigInt64();
  }
  copy(value: bigint): bigint {
    return value;
  }
}

class DateSerializer implements TypeSerializer<Date> {
  readonly id = 'date';
  serialize(value: Date, out: DataOutputView): void {
    out.writeFloat64(value.getTime());
  }
  deserialize(input: DataInputView): Date {
    return new Date(input.readFloat64());
  }
  copy(value: Date): Date {
    return new Date(value.getTime());
  }
}

class BytesSerializer implements TypeSerializer<Uint8Array> {
  readonly id = 'bytes';
  serialize(value: Uint8Array, out: DataOutputView): void {
    out.writeBytes(value);
  }
  deserialize(input: DataInputView): Uint8Array {
    return input.readBytes();
  }
  copy(value: Uint8Array): Uint8Array {
    return new Uint8Array(value);
  }
}

/** @internal */
export const NUMBER_TYPE: TypeInformation<number> = new SimpleTypeInformation('number', new NumberSerializer());
/** @internal */
export const INT_TYPE: TypeInformation<number> = new SimpleTypeInformation('int', new IntSerializer());
/** @internal */
export const STRING_TYPE: TypeInformation<string> = new SimpleTypeInformation('string', new StringSerializer());
/** @internal */
export const BOOLEAN_TYPE: TypeInformation<boolean> = new SimpleTypeInformation('boolean', new BooleanSerializer());
/** @internal */
export const BIGINT_TYPE: TypeInformation<bigint> = new SimpleTypeInformation('bigint', new BigIntSerializer());
/** @internal */
export const DATE_TYPE: TypeInformation<Date> = new SimpleTypeInformation('date', new DateSerializer());
/** @internal */
export const BYTES_TYPE: TypeInformation<Uint8Array> = new SimpleTypeInformation('bytes', new BytesSerializer());
