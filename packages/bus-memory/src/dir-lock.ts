/**
 * An exclusive claim on a log folder, so two buses (in one process or two) never append to the same files. The
 * claim is a `LOCK` file holding the owner's process id; a lock left by a process that no longer runs (killed,
 * crashed) is taken over, which is what makes restart after a crash work without manual cleanup.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MosyError } from '@mosy/core';

const LOCK_FILE = 'LOCK';
/** Folders locked by buses of this process; a LOCK with our own pid that is not here is a leftover. */
const heldHere = new Set<string>();

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export interface DirLock {
  release(): Promise<void>;
}

async function ownerOf(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Claims `dir` (which must exist) or rejects with `conflict` if a running bus holds it. */
export async function lockDir(dir: string): Promise<DirLock> {
  const key = resolve(dir);
  if (heldHere.has(key))
    throw new MosyError('conflict', `the event bus folder ${dir} is already open in this process`);
  heldHere.add(key);
  try {
    await claim(dir, join(dir, LOCK_FILE));
  } catch (error) {
    heldHere.delete(key);
    throw error;
  }
  const path = join(dir, LOCK_FILE);
  return {
    async release() {
      heldHere.delete(key);
      await unlink(path).catch(() => undefined);
    },
  };
}

async function claim(dir: string, path: string): Promise<void> {
  // Creating with 'wx' makes two processes starting together race on the file system, where one wins.
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      try {
        await file.writeFile(String(process.pid));
        await file.sync();
      } finally {
        await file.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (attempt > 0) throw new MosyError('conflict', `another process claimed the event bus folder ${dir}`);
      const owner = await ownerOf(path);
      if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
        throw new MosyError('conflict', `the event bus folder ${dir} is in use by process ${owner}`);
      }
      await unlink(path).catch(() => undefined);
    }
  }
}
