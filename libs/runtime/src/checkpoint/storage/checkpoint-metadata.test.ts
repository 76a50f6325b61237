import { describe, it, expect } from 'vitest';
import { CHECKPOINT_METADATA_SERIALIZER, type CheckpointMetadata, type StateFileHandle } from './checkpoint-metadata.js';
import { decodeMetadataFile, encodeMetadataFile } from './metadata-file.js';
import { CheckpointIntegrityError } from './checkpoint-integrity-error.js';

const SHA_A = 'aa'.repeat(32);
const SHA_B = '0123456789abcdef'.repeat(4);

function file(operatorUid: string, subtaskIndex: number, kind: StateFileHandle['kind'], path: string, size: number, checksum: string): StateFileHandle {
  return { operatorUid, subtaskIndex, kind, path, size, checksum };
}

function sample(): CheckpointMetadata {
  return {
    checkpointId: 7,
    timestamp: 1700000000000,
    jobId: 'job',
    isSavepoint: false,
    operators: [
      { operatorUid: 'src', parallelism: 1, maxParallelism: 128, subtaskStates: [[file('src', 0, 'source', 'a', 3, SHA_A)]] },
      { operatorUid: 'agg', parallelism: 2, maxParallelism: 128, subtaskStates: [[], [file('agg', 1, 'keyed', 'b', 200, SHA_B)]] },
    ],
    coordinatorState: new Map([['src', new Uint8Array([1, 2])]]),
  };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('CheckpointMetadataSerializer', () => {
  it('round-trips operators, subtask files and coordinator state', () => {
    const m = sample();
    const back = CHECKPOINT_METADATA_SERIALIZER.deserialize(1, CHECKPOINT_METADATA_SERIALIZER.serialize(m));
    expect(back).toEqual(m);
  });

  it('pins the byte format (golden bytes), and reads the pinned bytes back', () => {
    const golden =
      '52434b4d01' + // 'RCKM' version 1
      '07' + '00008056febc7842' + '036a6f62' + '00' + // id 7, timestamp f64, "job", not a savepoint
      '02' + // two operators
      '03737263' + '01' + '8001' + // "src", parallelism 1, max parallelism 128
      '01' + '04' + '0161' + '03' + SHA_A + // subtask 0: one file, kind source, "a", 3 bytes, sha
      '03616767' + '02' + '8001' + // "agg", parallelism 2, max parallelism 128
      '00' + // subtask 0: no files
      '01' + '01' + '0162' + 'c801' + SHA_B + // subtask 1: keyed, "b", 200 bytes, sha
      '01' + '03737263' + '020102'; // coordinator state: "src" -> [1, 2]
    expect(hex(CHECKPOINT_METADATA_SERIALIZER.serialize(sample()))).toBe(golden);
    expect(CHECKPOINT_METADATA_SERIALIZER.deserialize(1, Buffer.from(golden, 'hex'))).toEqual(sample());
  });

  it('rejects unknown versions and trailing bytes', () => {
    const bytes = CHECKPOINT_METADATA_SERIALIZER.serialize(sample());
    expect(() => CHECKPOINT_METADATA_SERIALIZER.deserialize(2, bytes)).toThrow(/unsupported checkpoint metadata version 2/);
    expect(() => CHECKPOINT_METADATA_SERIALIZER.deserialize(1, new Uint8Array([...bytes, 0]))).toThrow(/1 trailing bytes/);
  });

  it('refuses metadata whose subtask lists do not match the parallelism or whose files are misplaced', () => {
    const m = sample();
    expect(() => CHECKPOINT_METADATA_SERIALIZER.serialize({ ...m, operators: [{ ...m.operators[1]!, parallelism: 3 }] })).toThrow(
      /operator 'agg' has parallelism 3 but 2 subtask state lists/,
    );
    const misplaced = { ...m.operators[1]!, subtaskStates: [[file('agg', 1, 'keyed', 'b', 1, SHA_A)], []] };
    expect(() => CHECKPOINT_METADATA_SERIALIZER.serialize({ ...m, operators: [misplaced] })).toThrow(/file 'b'.*listed under operator 'agg' subtask 0/);
    expect(() => CHECKPOINT_METADATA_SERIALIZER.serialize({ ...m, operators: [m.operators[0]!, m.operators[0]!] })).toThrow(/'src' appears twice/);
  });
});

describe('_metadata file envelope', () => {
  it('detects any flipped byte through its checksum', () => {
    const bytes = encodeMetadataFile(sample());
    expect(decodeMetadataFile('/x/_metadata', bytes)).toEqual(sample());
    for (const at of [0, 9, bytes.length - 40, bytes.length - 1]) {
      const bad = Uint8Array.from(bytes);
      bad[at]! ^= 0x01;
      expect(() => decodeMetadataFile('/x/_metadata', bad)).toThrow(CheckpointIntegrityError);
    }
    expect(() => decodeMetadataFile('/x/_metadata', bytes.subarray(0, bytes.length - 1))).toThrow(/\/x\/_metadata: metadata file length/);
  });
});
