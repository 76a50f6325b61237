import { describe, expect, it } from 'vitest';
import { FileSinkCommittableSerializer, FileWriterBucketStateSerializer } from './serializers.js';
import type { FileSinkCommittable, FileWriterBucketState } from './committable.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('FileSinkCommittableSerializer', () => {
  const committable: FileSinkCommittable = { bucketId: 'b', inProgressPath: '/d/.p', finalPath: '/d/p', size: 300 };
  // Version 1: string bucketId, string inProgressPath, string finalPath, varuint size.
  const golden = '0162' + '052f642f2e70' + '042f642f70' + 'ac02';

  it('writes version 1 in the golden layout', () => {
    const s = new FileSinkCommittableSerializer();
    expect(s.getVersion()).toBe(1);
    expect(hex(s.serialize(committable))).toBe(golden);
  });

  it('reads the golden version 1 bytes', () => {
    expect(new FileSinkCommittableSerializer().deserialize(1, Buffer.from(golden, 'hex'))).toEqual(committable);
  });

  it('rejects an unknown version', () => {
    expect(() => new FileSinkCommittableSerializer().deserialize(2, new Uint8Array())).toThrow(/unknown version 2/);
  });
});

describe('FileWriterBucketStateSerializer', () => {
  const withFile: FileWriterBucketState = {
    bucketId: 'h',
    bucketPath: '/d',
    inProgress: { inProgressPath: '/d/.p', finalPath: '/d/p', validLength: 5, creationTime: 1.5 },
  };
  const withoutFile: FileWriterBucketState = { bucketId: '', bucketPath: '/d', inProgress: undefined };
  // Version 1: string bucketId, string bucketPath, uint8 flag, then (flag 1) string inProgressPath,
  // string finalPath, varuint validLength, float64 (little-endian) creationTime.
  const goldenWith = '0168' + '022f64' + '01' + '052f642f2e70' + '042f642f70' + '05' + '000000000000f83f';
  const goldenWithout = '00' + '022f64' + '00';

  const withWriter: FileWriterBucketState = { ...withoutFile, writer: { writerId: 'w', nextPartCounter: 3 } };
  // Version 2 appends a uint8 flag and, when 1, string writerId and varuint nextPartCounter.
  const goldenV2With = goldenWith + '00';
  const goldenV2Writer = goldenWithout + '01' + '0177' + '03';

  it('writes version 2 in the golden layout', () => {
    const s = new FileWriterBucketStateSerializer();
    expect(s.getVersion()).toBe(2);
    expect(hex(s.serialize(withFile))).toBe(goldenV2With);
    expect(hex(s.serialize(withWriter))).toBe(goldenV2Writer);
  });

  it('reads the golden version 2 and version 1 bytes', () => {
    const s = new FileWriterBucketStateSerializer();
    expect(s.deserialize(2, Buffer.from(goldenV2With, 'hex'))).toEqual(withFile);
    expect(s.deserialize(2, Buffer.from(goldenV2Writer, 'hex'))).toEqual(withWriter);
    expect(s.deserialize(1, Buffer.from(goldenWith, 'hex'))).toEqual(withFile);
    expect(s.deserialize(1, Buffer.from(goldenWithout, 'hex'))).toEqual(withoutFile);
  });

  it('rejects an unknown version and a corrupt flag', () => {
    const s = new FileWriterBucketStateSerializer();
    expect(() => s.deserialize(7, new Uint8Array())).toThrow(/unknown version 7/);
    expect(() => s.deserialize(1, Buffer.from('00022f6409', 'hex'))).toThrow(/corrupt state/);
  });
});
