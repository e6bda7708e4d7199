/**
 * Start-up of a service process. A bad setting is the operator's to fix, not a bug: it ends the process with the
 * one message that names every wrong variable, on stderr, and exit code 2, rather than a stack trace.
 */
import { MosyError } from '@mosy/core';

/**
 * Reads a process's configuration with `read`.
 * @returns what `read` returned; exits (code 2) on a MosyError `invalid-request`; rethrows anything else.
 */
export function configOrExit<T>(read: () => T, processName: string): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof MosyError) || error.code !== 'invalid-request') throw error;
    process.stderr.write(`${processName}: ${error.message}\n`);
    process.exit(2);
  }
}
