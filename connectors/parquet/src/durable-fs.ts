import { open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Writes `bytes` to a new file (`wx`: never over an existing one) and fsyncs it before closing. */
export async function writeFileDurable(file: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(file, 'wx');
  try {
    let off = 0;
    while (off < bytes.byteLength) {
      const { bytesWritten } = await fh.write(bytes, off, bytes.byteLength - off);
      off += bytesWritten;
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes renames and unlinks in `dir` durable (fsync of the directory; ignored where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw err;
  } finally {
    await fh?.close();
  }
}

/** Writes a file by temp name + fsync + rename + directory fsync: readers see the old file or the new one. */
export async function replaceFileAtomic(file: string, bytes: Uint8Array, tempName: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, tempName);
  await writeFileDurable(tmp, bytes);
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await syncDirectory(dir);
}

/** Removes a file; a missing one is fine. */
export async function removeIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Names in `dir`, or none when it does not exist. */
export async function listDirectory(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
