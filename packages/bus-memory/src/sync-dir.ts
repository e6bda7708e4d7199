/**
 * Making a folder's entries durable: after a file is created (or deleted) its directory entry reaches the disk only
 * when the directory itself is fsync'd, so a crash right after a create cannot lose the new segment or offset file.
 */
import { open } from 'node:fs/promises';

export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
