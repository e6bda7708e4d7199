/**
 * What the write-behind ledger has acknowledged but not yet applied to its tables, kept in memory so that the reads
 * a submission depends on see it at once: the highest accepted version per record and the latest receipt per
 * submission, each tagged with the journal position of the entry that set it. Once the entries before a position
 * are applied (`appliedUpTo`), what they set is dropped, unless a later entry has set it again. Pure: no I/O.
 */
import type { SubmissionEntry, SubmissionReceipt } from '@mosy/core';

interface Tagged<T> {
  readonly value: T;
  /** The journal position of the entry that set it last. */
  readonly position: number;
}

export class LedgerOverlay {
  /** Provider → record id → version. Nested, so no separator inside an id can make two keys collide. */
  readonly #versions = new Map<string, Map<string, Tagged<number>>>();
  /** Provider → submission id → receipt. */
  readonly #receipts = new Map<string, Map<string, Tagged<SubmissionReceipt>>>();
  /** The entries held, in position order. */
  readonly #entries: { readonly position: number; readonly entry: SubmissionEntry }[] = [];

  /** Adds the entry at `position`; positions must be added in increasing order. */
  add(position: number, entry: SubmissionEntry): void {
    const last = this.#entries[this.#entries.length - 1];
    if (last !== undefined && position <= last.position)
      throw new Error(`overlay: position ${position} after ${last.position}`);
    this.#entries.push({ position, entry });
    const { providerId, submissionId } = entry.receipt;
    const versions = inner(this.#versions, providerId);
    for (const { recordId, version } of entry.accepted) {
      const known = versions.get(recordId);
      // Versions only rise: a lower one (accepted twice around a crash) leaves the higher in place.
      if (known === undefined || version >= known.value) versions.set(recordId, { value: version, position });
    }
    // Saved again, a receipt replaces the earlier one.
    inner(this.#receipts, providerId).set(submissionId, { value: entry.receipt, position });
  }

  /** The versions held for these records of a provider (absent: none held). */
  versions(providerId: string, recordIds: readonly string[]): Map<string, number> {
    const found = new Map<string, number>();
    const versions = this.#versions.get(providerId);
    if (versions === undefined) return found;
    for (const recordId of recordIds) {
      const known = versions.get(recordId);
      if (known !== undefined) found.set(recordId, known.value);
    }
    return found;
  }

  receipt(providerId: string, submissionId: string): SubmissionReceipt | undefined {
    return this.#receipts.get(providerId)?.get(submissionId)?.value;
  }

  /** Drops what the entries before `position` set, now that they are applied (unless a later entry set it again). */
  appliedUpTo(position: number): void {
    while (this.#entries.length > 0 && this.#entries[0]!.position < position) {
      const { position: at, entry } = this.#entries.shift()!;
      const { providerId, submissionId } = entry.receipt;
      const versions = this.#versions.get(providerId);
      for (const { recordId } of entry.accepted) {
        if (versions?.get(recordId)?.position === at) versions.delete(recordId);
      }
      if (versions?.size === 0) this.#versions.delete(providerId);
      const receipts = this.#receipts.get(providerId);
      if (receipts?.get(submissionId)?.position === at) receipts.delete(submissionId);
      if (receipts?.size === 0) this.#receipts.delete(providerId);
    }
  }
}

function inner<T>(outer: Map<string, Map<string, T>>, key: string): Map<string, T> {
  let map = outer.get(key);
  if (map === undefined) outer.set(key, (map = new Map<string, T>()));
  return map;
}
