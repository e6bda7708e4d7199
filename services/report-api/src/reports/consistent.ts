/**
 * Publishing what the store read while the aggregator writes. A store answers cells, margins and total with
 * separate queries, so under a steady flow of records they may come from different moments and not add up, which
 * disclosure control refuses (a margin below its largest cell). Such a read is made again. One that fails twice
 * with exactly the same numbers did not move: that is a bug, a 500. One still moving after a few reads is a 503
 * with Retry-After, and the client asks again a little later.
 */
import { MosyError } from '@mosy/core';

export const READS_OF_A_MOVING_TABLE = 5;

export async function publishConsistent<T, P>(read: () => Promise<T>, publish: (table: T) => P): Promise<P> {
  let previous: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const table = await read();
    try {
      return publish(table);
    } catch (error) {
      const numbers = JSON.stringify(table);
      if (!(error instanceof MosyError) || error.code !== 'internal' || numbers === previous) throw error;
      if (attempt >= READS_OF_A_MOVING_TABLE) {
        throw new MosyError(
          'unavailable',
          `The counts changed while they were being read (${attempt} reads); ask again in a few seconds.`,
          { cause: error },
        );
      }
      previous = numbers;
    }
  }
}
