/**
 * Which component draws each built page: one line per page, so a new page is added here and marked `ready` in
 * pages.ts. Pages not listed are shown as "coming".
 */
import type { FunctionComponent } from 'preact';
import type { PageId } from './pages.js';
import { Dashboard } from './pages/Dashboard.js';
import { Exports } from './pages/Exports.js';

/** What every page gets from the shell: a callback for errors (a 401 returns to sign-in). */
export interface PageProps {
  readonly onError: (error: unknown) => void;
}

export const VIEWS: Partial<Record<PageId, FunctionComponent<PageProps>>> = {
  dashboard: Dashboard,
  exports: Exports,
};
