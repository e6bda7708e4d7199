/**
 * A failed call's RFC 9457 problem as the page shows it: its title and detail, and each issue with its field path,
 * so a form can put a message next to the field (or the line) it concerns. A 401 is `SignedOut`, as everywhere.
 */
import { SignedOut } from './api.js';

export interface ProblemIssue {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly issues: readonly ProblemIssue[],
  ) {
    super(detail ?? title);
  }
}

/** The problem of a failed response (`error` is what openapi-fetch parsed from its body). */
export function problemOf(response: Response, error: unknown): Error {
  if (response.status === 401) return new SignedOut();
  const body = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const issues = Array.isArray(body.issues)
    ? (body.issues as unknown[]).flatMap((i): ProblemIssue[] => {
        const issue = (typeof i === 'object' && i !== null ? i : {}) as Record<string, unknown>;
        return typeof issue.message === 'string'
          ? [
              {
                field: typeof issue.field === 'string' ? issue.field : '',
                code: typeof issue.code === 'string' ? issue.code : '',
                message: issue.message,
              },
            ]
          : [];
      })
    : [];
  return new Problem(
    response.status,
    typeof body.title === 'string' ? body.title : `HTTP ${response.status}`,
    typeof body.detail === 'string' ? body.detail : undefined,
    issues,
  );
}

/** What to say about an error that is not a 401: the problem's detail, else its message. */
export const messageOf = (error: unknown): string =>
  error instanceof Problem
    ? (error.detail ?? error.title)
    : error instanceof Error
      ? error.message
      : String(error);

/** The issues about one field of a form (`fields.gender`, `identity.dateOfBirth`, `referenceDate`). */
export const issuesFor = (issues: readonly ProblemIssue[] | undefined, field: string): ProblemIssue[] =>
  (issues ?? []).filter((i) => i.field === field || i.field.startsWith(`${field}.`));
