/** The app's pages and the roles that see each: the navigation shows a role only its own pages. */
import type { Role } from './api.js';

export type PageId =
  'dashboard' | 'reports' | 'map' | 'projection' | 'quality' | 'entry' | 'exports' | 'admin';

export interface Page {
  readonly id: PageId;
  readonly roles: readonly Role[];
}

const READERS: readonly Role[] = ['analyst', 'coordinator'];

export const PAGES: readonly Page[] = [
  { id: 'dashboard', roles: READERS },
  { id: 'reports', roles: READERS },
  { id: 'map', roles: READERS },
  { id: 'projection', roles: READERS },
  { id: 'entry', roles: ['provider'] },
  { id: 'quality', roles: ['provider', 'analyst', 'coordinator'] },
  { id: 'exports', roles: ['coordinator'] },
  { id: 'admin', roles: ['admin'] },
];

export const pagesFor = (role: Role): readonly Page[] => PAGES.filter((p) => p.roles.includes(role));

/** The page named by the location's hash (`#/map`, `#/reports?indicator=victims`), if the role has it. */
export function pageFromHash(hash: string, role: Role): Page | undefined {
  const pages = pagesFor(role);
  const id = hash.replace(/^#\/?/, '').replace(/\?.*$/, '');
  return id === '' ? pages[0] : pages.find((p) => p.id === id);
}
