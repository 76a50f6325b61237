/**
 * Checkpoint storage: durable checkpoint and savepoint folders with checksummed files and a
 * `_metadata` written last. See README.md in this folder.
 */
export {
  type StateFileKind,
  type StateFileHandle,
  type OperatorCheckpointMetadata,
  type CheckpointMetadata,
  STATE_FILE_KINDS,
  CheckpointMetadataSerializer,
  CHECKPOINT_METADATA_SERIALIZER,
  CHECKPOINT_METADATA_MAGIC,
  CHECKPOINT_METADATA_VERSION,
} from './checkpoint-metadata.js';
export type {
  CheckpointStorage,
  CheckpointWriter,
  CheckpointStateReader,
  CompletedCheckpointHandle,
  LoadedCheckpoint,
} from './checkpoint-storage.js';
export { CheckpointIntegrityError } from './checkpoint-integrity-error.js';
export { FileSystemCheckpointStorage, type FileSystemCheckpointStorageOptions } from './file-system-checkpoint-storage.js';
export { FileSystemCheckpointWriter, type CheckpointWriterState } from './file-system-checkpoint-writer.js';
export { loadCheckpointFromDirectory, verifyCheckpoint } from './state-file-reader.js';
export { METADATA_FILE_NAME, encodeMetadataFile, decodeMetadataFile } from './metadata-file.js';
export { assembleCheckpointMetadata, type CheckpointMetadataParts, type OperatorCheckpointShape } from './assemble-checkpoint-metadata.js';
