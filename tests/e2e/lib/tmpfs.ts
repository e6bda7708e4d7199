/**
 * A small tmpfs for a data folder, to run out of disk space on purpose: `mount -t tmpfs` needs root (the test
 * machines run as root). `fill` writes a filler file until the file system refuses with ENOSPC; `free` deletes it.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface Tmpfs {
  readonly dir: string;
  /** Fills the file system; resolves with the bytes the filler took. */
  fill(): number;
  /** Deletes the filler. */
  free(): void;
  unmount(): void;
}

const CHUNK = Buffer.alloc(256 * 1024, 0x5a);

export function mountTmpfs(dir: string, sizeMiB: number): Tmpfs {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (error) {
    throw new Error(
      `mount -t tmpfs on ${dir} failed (this test runs out of disk space on a tmpfs and needs root): ${String(error)}`,
    );
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      let bytes = 0;
      try {
        // Smaller and smaller writes, down to one block, until not even that fits.
        for (let size = CHUNK.length; size >= 4096;) {
          try {
            bytes += writeSync(fd, CHUNK.subarray(0, size));
          } catch (error) {
            if ((error as { code?: string }).code !== 'ENOSPC') throw error;
            size /= 2;
          }
        }
      } finally {
        closeSync(fd);
      }
      return bytes;
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
