/**
 * The keyed pseudonyms that replace identity (contract §3, §4). The person key is `p:` + HMAC-SHA256 over the
 * normalised name tokens and date of birth (identity.ts) when the identity has at least one name token and a valid
 * date of birth: the same person sent by two providers then counts once. Otherwise it is `r:` + HMAC-SHA256 over
 * (provider, record id): the record counts as its own person, and neither id appears in clear. The cell record key
 * is a third HMAC of (provider, record id), read as a uniform 32-bit integer, for the cell key method of
 * disclosure control. The secret is the deployment's; without it no key can be recomputed from a guessed identity.
 * Each HMAC input starts with its own purpose and version tag, so the three keys never collide with each other.
 */
import { createHmac } from 'node:crypto';
import { MosyError } from '../errors.js';
import { normalizeIdentity } from './identity.js';

/** Shortest accepted secret, in bytes (256 bits, the HMAC-SHA256 block strength). */
export const MIN_SECRET_BYTES = 32;

/** The deployment secret: a string (its UTF-8 bytes count) or raw bytes. */
export type PseudonymSecret = string | Uint8Array;

export interface RecordRef {
  readonly secret: PseudonymSecret;
  readonly providerId: string;
  readonly recordId: string;
}

/**
 * Throws unless the secret is at least 32 bytes long.
 * @throws MosyError `internal` (a configuration error: the message does not contain the secret).
 */
export function assertSecret(secret: PseudonymSecret): void {
  const bytes = typeof secret === 'string' ? Buffer.byteLength(secret, 'utf8') : secret.byteLength;
  if (bytes < MIN_SECRET_BYTES)
    throw new MosyError(
      'internal',
      `The pseudonym secret must be at least ${MIN_SECRET_BYTES} bytes long; the one configured has ${bytes}.`,
    );
}

const hmac = (secret: PseudonymSecret, message: string): Buffer => {
  assertSecret(secret);
  return createHmac('sha256', secret).update(message, 'utf8').digest();
};

/**
 * The person key of a record: `p:<64 hex>` from the identity when it has a name and a valid date of birth, else
 * `r:<64 hex>` from the provider and record id.
 */
export function personKeyOf(
  ref: RecordRef & { readonly identity?: Readonly<Record<string, string>> },
): string {
  if (ref.identity !== undefined) {
    const { nameTokens, dateOfBirth } = normalizeIdentity(ref.identity);
    if (nameTokens.length > 0 && dateOfBirth !== undefined)
      return `p:${hmac(ref.secret, `mosy-person/1|${nameTokens.join(' ')}|${dateOfBirth}`).toString('hex')}`;
  }
  return `r:${hmac(ref.secret, `mosy-record/1|${ref.providerId}|${ref.recordId}`).toString('hex')}`;
}

/** The record's key for the cell key method: uniform in [0, 2^32), the same for every version of the record. */
export function cellRecordKey(ref: RecordRef): number {
  return hmac(ref.secret, `mosy-cellkey/1|${ref.providerId}|${ref.recordId}`).readUInt32BE(0);
}
