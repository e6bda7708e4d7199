/** The app's pages and the roles that see each: the navigation shows a role only its own pages. */
import type { Role } from './api.js';

export type PageId =
  'dashboard' | 'reports' | 'map' | 'projection' | 'quality' | 'entry' | 'exports' | 'admin';

export interface Page {
  readonly id: PageId;
  readonly roles: readonly Role[];
  /** False for pages still to be built: shown in the navigation as "coming". */
  readonly ready: boolean;
}

const READERS: readonly Role[] = ['analyst', 'coordinator'];

export const PAGES: readonly Page[] = [
  { id: 'dashboard', roles: READERS, ready: true },
  { id: 'reports', roles: READERS, ready: true },
  { id: 'map', roles: READERS, ready: true },
  { id: 'projection', roles: READERS, ready: true },
  { id: 'entry', roles: ['provider'], ready: true },
  { id: 'quality', roles: ['provider', 'analyst', 'coordinator'], ready: true },
  { id: 'exports', roles: ['coordinator'], ready: true },
  { id: 'admin', roles: ['admin'], ready: true },
];

export const pagesFor = (role: Role): readonly Page[] => PAGES.filter((p) => p.roles.includes(role));

/** The page named by the location's hash (`#/map`, `#/reports?indicator=victims`), if the role has it. */
export function pageFromHash(hash: string, role: Role): Page | undefined {
  const pages = pagesFor(role);
  const id = hash.replace(/^#\/?/, '').replace(/\?.*$/, '');
  return id === '' ? pages[0] : pages.find((p) => p.id === id);
}
