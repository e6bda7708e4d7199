/**
 * The linkage tables' rows (linkage_encodings, person_links), the same for both stores: an encoding is kept as the
 * hex of `encodingToBytes`, an unlinked record's encoding is empty (DuckDB NULL, ClickHouse ''), and the load
 * query reads each record's row with its person link, in linking order.
 */
import { encodingFromBytes, encodingToBytes, type LinkageEncoding, type StoredLinkage } from '@mosy/core';
import { integer, text, type Row } from './rows.js';

/** An encoding as the hex text the linkage table holds. */
export const encodingToHex = (encoding: LinkageEncoding): string =>
  Buffer.from(encodingToBytes(encoding)).toString('hex');

/** A row of `linkageLoadSql` as a stored linkage. */
export function toStoredLinkage(row: Row): StoredLinkage {
  const encoding = row.encoding === null || row.encoding === '' ? undefined : text(row.encoding);
  const personKey = row.person_key === null || row.person_key === '' ? undefined : text(row.person_key);
  return {
    providerId: text(row.provider_id),
    recordId: text(row.record_id),
    version: integer(row.version),
    ...(encoding === undefined ? {} : { encoding: encodingFromBytes(Buffer.from(encoding, 'hex')) }),
    ...(personKey === undefined ? {} : { personKey }),
  };
}
