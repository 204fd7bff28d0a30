import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

const SEGMENT_NAME = /^(\d{20})\.seg$/;
export const CURSOR_FILE = 'cursor.json';

export function segmentFileName(seq: number): string {
  return `${String(seq).padStart(20, '0')}.seg`;
}

/**
 * `mkdir -p` one level at a time. Node's `mkdir(dir, {recursive: true})` never settles on some
 * pseudo file systems (a SPOOL_DIR under /proc), which would hang the gateway's boot.
 */
export async function ensureDirectory(dir: string, depth = 0): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth > 32) throw error;
    await ensureDirectory(parent, depth + 1);
    await mkdir(dir).catch((retry: NodeJS.ErrnoException) => {
      if (retry.code !== 'EEXIST') throw retry;
    });
  }
}

/** Sequence numbers of the segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((seq): seq is string => seq !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** A file's creation, rename or removal is durable only once its directory is synced. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory; the data files themselves are still synced.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}

/** Replaces `file` atomically and durably: temporary file, fsync, rename, fsync of the directory. */
export async function writeFileDurably(file: string, content: string): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(file));
}
