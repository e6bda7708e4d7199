import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { toProblem } from './problem.js';

describe('problem details', () => {
  it('carries status, code and issues of a MosyError', () => {
    const problem = toProblem(
      new MosyError('version-regression', 'Version 1 is lower than 2.', {
        issues: [{ field: 'version', code: 'version-regression', message: 'lower' }],
      }),
    );
    expect(problem).toEqual({
      type: 'https://mosy.eu/problems/version-regression',
      title: 'Conflict',
      status: 409,
      detail: 'Version 1 is lower than 2.',
      code: 'version-regression',
      issues: [{ field: 'version', code: 'version-regression', message: 'lower' }],
    });
  });

  it('hides the message of internal errors', () => {
    expect(toProblem(new MosyError('internal', 'stack details')).detail).not.toContain('stack details');
  });
});
