export { FileSink, FileSinkBuilder, RowFormatBuilder, BulkFormatBuilder } from './file-sink.js';
export { BulkPartFileFactory, type BulkWriter, type BulkWriterFactory, type BulkOutputStream } from './bulk-format.js';
export { FileWriter, type FileWriterConfig } from './file-writer.js';
export type { InProgressPartFile, PartFileFactory } from './part-file.js';
export { RowPartFileFactory } from './row-part-file.js';
export { FileCommitter } from './file-committer.js';
export type { FileSinkCommittable, FileWriterBucketState, InProgressFileState } from './committable.js';
export { FileSinkCommittableSerializer, FileWriterBucketStateSerializer } from './serializers.js';
export { SimpleStringEncoder, JsonLinesEncoder, type Encoder, type RecordOutputStream } from './encoder.js';
export { OutputFileConfig, OutputFileConfigBuilder } from './output-file-config.js';
export { BasePathBucketAssigner, DateTimeBucketAssigner, type BucketAssigner, type BucketAssignerContext } from './bucket-assigner.js';
export {
  DefaultRollingPolicy,
  DefaultRollingPolicyBuilder,
  OnCheckpointRollingPolicy,
  type RollingPolicy,
  type PartFileInfo,
} from './rolling-policy.js';
export { FileSource, FileSourceBuilder } from './file-source.js';
export type { BulkFormat, FileBlock, FileBlockReader, StreamFormat } from './file-source-format.js';
export { TextLineInputFormat } from './text-line-input-format.js';
export { FileSourceSplitSerializer, fileSourceSplit, type FileSourceSplit } from './file-source-split.js';
export { FileEnumeratorStateSerializer, type FileEnumeratorState } from './file-enumerator-state.js';
export { FileSourceEnumerator } from './file-source-enumerator.js';
export { FileSourceReader } from './file-source-reader.js';
export { FILE_DEAD_LETTER_TAG, FileDeadLetterRouter, isFileDeadLetter, type FileDeadLetter } from './file-dead-letter.js';
export { isHiddenName } from './file-listing.js';
