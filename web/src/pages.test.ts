import { describe, expect, it } from 'vitest';
import { pageFromHash, pagesFor } from './pages.js';

describe('pages by role', () => {
  it('gives each role only its own pages', () => {
    const ids = (role: Parameters<typeof pagesFor>[0]) => pagesFor(role).map((p) => p.id);
    expect(ids('provider')).toEqual(['entry', 'quality']);
    expect(ids('analyst')).toEqual(['dashboard', 'reports', 'map', 'projection', 'quality']);
    expect(ids('coordinator')).toEqual(['dashboard', 'reports', 'map', 'projection', 'quality', 'exports']);
    expect(ids('admin')).toEqual(['admin']);
  });

  it("opens the role's first page without a hash and refuses another role's page", () => {
    expect(pageFromHash('', 'analyst')?.id).toBe('dashboard');
    expect(pageFromHash('#/', 'provider')?.id).toBe('entry');
    expect(pageFromHash('#/exports', 'coordinator')?.id).toBe('exports');
    expect(pageFromHash('#/reports?indicator=victims&by=sex', 'analyst')?.id).toBe('reports');
    expect(pageFromHash('#/exports', 'analyst')).toBeUndefined();
    expect(pageFromHash('#/admin', 'provider')).toBeUndefined();
  });
});
