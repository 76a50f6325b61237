import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

/** Lowercase hex SHA-256 of `bytes`: the checksum of every checkpoint file. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes `bytes` to `path` so that the file either does not exist or is complete: write to a
 * unique temporary name in the same folder, fsync, close, then rename over `path`. The rename
 * is made durable by {@link fsyncDirectory} on the folder (callers batch that once).
 */
export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.inprogress`;
  const fh = await open(tmp, 'wx');
  try {
    let off = 0;
    while (off < bytes.length) {
      const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
      off += bytesWritten;
    }
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Fsyncs a folder so that renames and creations inside it survive a crash (no-op where unsupported). */
export async function fsyncDirectory(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Some platforms (Windows) cannot open or fsync a directory; there it is best effort.
    if (!isCode(e, 'EISDIR') && !isCode(e, 'EPERM') && !isCode(e, 'EINVAL') && !isCode(e, 'EBADF')) throw e;
  } finally {
    await fh?.close();
  }
}

/** True when `e` is a Node.js system error with the given `code` (e.g. `ENOENT`). */
export function isCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}
