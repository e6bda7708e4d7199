/** What every page gets from the shell (its own module, so pages and the registry in views.ts import no cycle). */
import type { Role } from './api.js';

export interface PageProps {
  /** A callback for errors: a 401 returns to sign-in. */
  readonly onError: (error: unknown) => void;
  /** The signed-in role. */
  readonly role: Role;
}
