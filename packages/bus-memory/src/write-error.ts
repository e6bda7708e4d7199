/**
 * A failed write to the log as a MosyError. A full disk or quota is a condition the operator fixes while the
 * runtime keeps running: `unavailable` (retriable, so publishers answer 503 with Retry-After and consumers retry)
 * with a sentence that says what to do (and no path: it reaches the client). Anything else passes through.
 */
import { MosyError } from '@mosy/core';

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

export function logWriteError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NO_SPACE.has(code)) {
    return new MosyError(
      'unavailable',
      `The data folder is full (${code} writing the event log); nothing was accepted from this request. Free space in the data folder and send it again.`,
      { cause: error },
    );
  }
  return error;
}
