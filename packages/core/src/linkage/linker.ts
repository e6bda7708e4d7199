/**
 * The linkage step at the level of records: what the counting rules need from fuzzy linkage. Each current record
 * with an identity holds one encoding in the index (linkage-index.ts); its person key is the key of its group,
 * `l:` + HMAC(secret, `mosy-linkage-group/1|<founding record's provider and id>`), where the founding record is the
 * one that started the group. A founder whose new version leaves its group (which keeps the key) and founds another
 * would derive the same key again: a key still held by a group is never given to a second one, the founder's
 * next generation (`…|<id>|1`, `|2`, …) is taken instead. Keys are therefore a pure function of the secret and of the order in which records
 * were linked: two processes that link the same records in the same order derive the same keys, which is what
 * keeps several normalizer replicas consistent when linkage runs on one ordered stream (docs/linkage.md).
 *
 * A new version of a record replaces its encoding (its old one is removed first); a withdrawal removes it, so the
 * encoding is deleted with its record. When a record bridges groups and they merge, every record of the absorbed
 * groups changes person key: `link` returns those changes as revisions (and counts them), so the caller can
 * re-key them in the store and report the re-grouping, not let the person counts jump silently.
 *
 * Pure and in memory: no I/O and no clock. The caller persists what it needs to rebuild the state (the encodings,
 * in linking order) apart from the indicator tables.
 */
import { createHmac } from 'node:crypto';
import { assertSecret, type PseudonymSecret } from '../pseudonym/keys.js';
import type { LinkageEncoding } from './encoder.js';
import { createLinkageIndex, type LinkageOptions } from './linkage-index.js';

/** A record as the linker knows it. */
export interface LinkRef {
  readonly providerId: string;
  readonly recordId: string;
}

/** A record whose person key changed because its group was merged into another. */
export interface PersonRevision extends LinkRef {
  readonly from: string;
  readonly to: string;
}

export interface LinkResult {
  /** The record's person key. */
  readonly personKey: string;
  /** Other records whose person key changed (empty unless this record merged groups). */
  readonly revisions: readonly PersonRevision[];
}

export interface Linker {
  /** Links a record's (new) encoding; a record linked before is first unlinked. */
  link(ref: LinkRef, encoding: LinkageEncoding): LinkResult;
  /** Unlinks a record (withdrawal, or a new version without a usable identity); its encoding is erased. */
  unlink(ref: LinkRef): void;
  /** The person key of a linked record, or undefined. */
  personKeyOf(ref: LinkRef): string | undefined;
  /**
   * Gives the record's group `personKey` (the key its records were stored with before a restart), unless another
   * group holds that key; says whether the group now has it. A linker rebuilt from stored encodings thereby keeps
   * the stored keys where the grouping is the same, even when a founder has been unlinked since.
   */
  adopt(ref: LinkRef, personKey: string): boolean;
  /** Linked records. */
  readonly records: number;
  /** Persons (groups) among them. */
  readonly persons: number;
  /** Merges so far: each one a re-grouping that changed earlier records' person keys. */
  readonly merges: number;
  /** Person-key changes of earlier records so far. */
  readonly revisedRecords: number;
  /** Encoding comparisons so far (the cost measure of blocking). */
  readonly comparisons: number;
}

const refKey = (ref: LinkRef): string => `${ref.providerId}\u0000${ref.recordId}`;

/** An empty linker keyed with the deployment secret. @throws MosyError when the secret is shorter than 32 bytes. */
export function createLinker(secret: PseudonymSecret, options: Partial<LinkageOptions> = {}): Linker {
  assertSecret(secret);
  const index = createLinkageIndex(options);
  /** Index record number → the record. */
  const refs: LinkRef[] = [];
  /** Record → its index record number (current encoding). */
  const numberOf = new Map<string, number>();
  /** Index record number → the person key it was last given. */
  const keyOfRecord: string[] = [];
  /** Group → its person key (from its founding record). */
  const groupKeys = new Map<number, string>();
  /** The keys groupKeys holds, for the generation check. */
  const usedKeys = new Set<string>();
  const forget = (group: number): void => {
    const key = groupKeys.get(group);
    if (key === undefined) return;
    usedKeys.delete(key);
    groupKeys.delete(group);
  };
  let merges = 0;
  let revisedRecords = 0;

  const keyOfGroup = (group: number, founder: LinkRef): string => {
    const known = groupKeys.get(group);
    if (known !== undefined) return known;
    let key: string;
    for (let generation = 0; ; generation++) {
      const suffix = generation === 0 ? '' : `|${generation}`;
      key = `l:${createHmac('sha256', secret)
        .update(`mosy-linkage-group/1|${founder.providerId}|${founder.recordId}${suffix}`)
        .digest('hex')}`;
      if (!usedKeys.has(key)) break;
    }
    groupKeys.set(group, key);
    usedKeys.add(key);
    return key;
  };

  const unlink = (ref: LinkRef): void => {
    const number = numberOf.get(refKey(ref));
    if (number === undefined) return;
    const group = index.groupOf(number);
    index.remove(number);
    numberOf.delete(refKey(ref));
    if (index.members(group).length === 0) forget(group);
  };

  return {
    link(ref, encoding) {
      unlink(ref);
      const outcome = index.add(encoding);
      refs[outcome.record] = ref;
      numberOf.set(refKey(ref), outcome.record);
      const personKey = keyOfGroup(outcome.group, ref);
      keyOfRecord[outcome.record] = personKey;
      if (outcome.kind !== 'merged') return { personKey, revisions: [] };
      for (const absorbed of outcome.absorbed) forget(absorbed);
      const revisions: PersonRevision[] = [];
      for (const member of index.members(outcome.group)) {
        const from = keyOfRecord[member]!;
        if (from === personKey) continue;
        keyOfRecord[member] = personKey;
        revisions.push({ ...refs[member]!, from, to: personKey });
      }
      merges += 1;
      revisedRecords += revisions.length;
      return { personKey, revisions };
    },
    unlink,
    adopt(ref, personKey) {
      const number = numberOf.get(refKey(ref));
      if (number === undefined) return false;
      const group = index.groupOf(number);
      const current = groupKeys.get(group);
      if (current === personKey) return true;
      if (usedKeys.has(personKey)) return false;
      if (current !== undefined) usedKeys.delete(current);
      groupKeys.set(group, personKey);
      usedKeys.add(personKey);
      for (const member of index.members(group)) keyOfRecord[member] = personKey;
      return true;
    },
    personKeyOf(ref) {
      const number = numberOf.get(refKey(ref));
      return number === undefined ? undefined : groupKeys.get(index.groupOf(number));
    },
    get records() {
      return numberOf.size;
    },
    get persons() {
      return index.groups;
    },
    get merges() {
      return merges;
    },
    get revisedRecords() {
      return revisedRecords;
    },
    get comparisons() {
      return index.comparisons;
    },
  };
}
