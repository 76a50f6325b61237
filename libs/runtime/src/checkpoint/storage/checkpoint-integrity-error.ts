/**
 * A checkpoint or savepoint that must not be restored: its `_metadata` or a state file it
 * references is missing, truncated, or fails its checksum. `file` is the absolute path of the
 * offending file.
 */
export class CheckpointIntegrityError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'CheckpointIntegrityError';
  }
}
