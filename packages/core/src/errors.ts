/**
 * The one error type of MoSy. Every failure that crosses a module boundary is a `MosyError` with a code from
 * the table below; the HTTP layer maps codes to statuses with a `Record<MosyErrorCode, number>`, so adding a
 * code without deciding its status fails to compile. Consumers ask one question of an error: `retriable`
 * (retry with backoff) or not (dead-letter it with the reason).
 */

/** Every error code with whether it is worth retrying. */
export const ERROR_CODES = {
  /** The request body is not what the endpoint takes (malformed JSON, wrong shape). */
  'invalid-request': false,
  /** A field holds a value outside its code list or pattern. */
  'invalid-field': false,
  /** A field name that the contract or the provider's mapping does not know. */
  'unknown-field': false,
  /** A query parameter is not valid for this endpoint or indicator. */
  'invalid-query': false,
  /** A record's version is lower than one already accepted for it. */
  'version-regression': false,
  /** A record names a provider other than the key's owner. */
  'provider-mismatch': false,
  /** The body is larger than the configured limit. */
  'payload-too-large': false,
  /** The media type is not one the endpoint takes. */
  'unsupported-media-type': false,
  /** No or unknown credentials. */
  unauthenticated: false,
  /** Valid credentials whose role may not do this. */
  forbidden: false,
  /** The addressed resource does not exist. */
  'not-found': false,
  /** The resource exists already (e.g. a provider id). */
  conflict: false,
  /** A mapping document is not valid. */
  'invalid-mapping': false,
  /** A value that the provider's mapping does not map, under a `reject` policy. */
  'unmapped-value': false,
  /** An uploaded workbook is not IOM's HTCDS Excel template (no sheet with its header row), or cannot be read. */
  'invalid-workbook': false,
  /** A message on a topic could not be decoded. */
  'undecodable-message': false,
  /** The request (headers and body) did not arrive in full within the server's request timeout. */
  'request-timeout': true,
  /** The key (or, without a key, the client address) has used up its request rate; retry after `Retry-After`. */
  'rate-limited': true,
  /** A dependency (store, bus, registry) is unavailable for now. */
  unavailable: true,
  /** A bug: something that should not happen. */
  internal: false,
} as const satisfies Record<string, boolean>;

export type MosyErrorCode = keyof typeof ERROR_CODES;

/** One problem with one field of one record: what the submitter needs to fix it. */
export interface FieldIssue {
  /** A JSON-pointer-like path, e.g. `fields.sex` or `referenceDate`. */
  readonly field: string;
  readonly code: MosyErrorCode;
  readonly message: string;
}

export interface MosyErrorOptions {
  readonly cause?: unknown;
  /** Field-level details, e.g. every invalid field of one record. */
  readonly issues?: readonly FieldIssue[];
  /** Overrides the code's default retriability. */
  readonly retriable?: boolean;
}

export class MosyError extends Error {
  override readonly name = 'MosyError';
  readonly code: MosyErrorCode;
  readonly retriable: boolean;
  readonly issues: readonly FieldIssue[];

  constructor(code: MosyErrorCode, message: string, options: MosyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? ERROR_CODES[code];
    this.issues = options.issues ?? [];
  }
}

export const isMosyError = (error: unknown): error is MosyError => error instanceof MosyError;

/** Wraps anything thrown into a MosyError, keeping the original as `cause`. */
export function toMosyError(error: unknown, fallback: MosyErrorCode = 'internal'): MosyError {
  if (isMosyError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new MosyError(fallback, message, { cause: error });
}
