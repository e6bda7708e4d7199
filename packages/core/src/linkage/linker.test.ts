import { describe, expect, it } from 'vitest';
import { personKeyOf } from '../pseudonym/keys.js';
import { createLinkageEncoder } from './encoder.js';
import { createLinker } from './linker.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const encoder = createLinkageEncoder(secret);
const encode = (identity: Record<string, string>) => encoder.encode(identity)!;

const ioana = { givenName: 'Ioana', familyName: 'Popescu', dateOfBirth: '1990-05-12' };
const ioanna = { givenName: 'Ioanna', familyName: 'Popescu', dateOfBirth: '1990-05-12' };
const swapped = { givenName: 'Popescu', familyName: 'Ioana', dateOfBirth: '1990-12-05' };
const other = { givenName: 'Maria', familyName: 'Ionescu', dateOfBirth: '1985-01-30' };

describe('createLinker', () => {
  it('gives one person key to misspelt, swapped and re-dated records of one person, where the exact pseudonym gives three', () => {
    const linker = createLinker(secret);
    const a = linker.link({ providerId: 'police', recordId: '1' }, encode(ioana));
    const b = linker.link({ providerId: 'ngo', recordId: '7' }, encode(ioanna));
    const c = linker.link({ providerId: 'labour', recordId: 'x' }, encode(swapped));
    const d = linker.link({ providerId: 'ngo', recordId: '8' }, encode(other));
    expect(new Set([a.personKey, b.personKey, c.personKey])).toEqual(new Set([a.personKey]));
    expect(d.personKey).not.toBe(a.personKey);
    expect(a.personKey).toMatch(/^l:[0-9a-f]{64}$/);
    expect(linker.persons).toBe(2);
    const exact = [ioana, ioanna, swapped].map((identity, i) =>
      personKeyOf({ secret, providerId: 'p', recordId: String(i), identity }),
    );
    expect(new Set(exact).size).toBe(3);
  });

  it('derives the same keys in another process that links the same records in the same order', () => {
    const run = () => {
      const linker = createLinker(secret);
      return [ioana, other, ioanna].map(
        (identity, i) => linker.link({ providerId: 'p', recordId: String(i) }, encode(identity)).personKey,
      );
    };
    expect(run()).toEqual(run());
  });

  it('erases a withdrawn record: the person disappears and a later look-alike is someone new', () => {
    const linker = createLinker(secret);
    const first = linker.link({ providerId: 'p', recordId: '1' }, encode(ioana));
    linker.unlink({ providerId: 'p', recordId: '1' });
    expect(linker.records).toBe(0);
    expect(linker.persons).toBe(0);
    expect(linker.personKeyOf({ providerId: 'p', recordId: '1' })).toBeUndefined();
    const later = linker.link({ providerId: 'q', recordId: '1' }, encode(ioanna));
    expect(later.personKey).not.toBe(first.personKey);
    expect(linker.persons).toBe(1);
  });

  it('re-links a new version of a record in place of the old one', () => {
    const linker = createLinker(secret);
    linker.link({ providerId: 'p', recordId: '1' }, encode(ioana));
    const moved = linker.link({ providerId: 'p', recordId: '2' }, encode(other));
    const again = linker.link({ providerId: 'p', recordId: '2' }, encode(ioanna));
    expect(linker.records).toBe(2);
    expect(linker.persons).toBe(1);
    expect(again.personKey).not.toBe(moved.personKey);
    expect(again.personKey).toBe(linker.personKeyOf({ providerId: 'p', recordId: '1' }));
  });

  it('gives a founder that leaves its group, and founds another, a key its old group does not hold', () => {
    const run = () => {
      const linker = createLinker(secret);
      const founder = { providerId: 'p', recordId: 'A' };
      const member = { providerId: 'p', recordId: 'B' };
      const first = linker.link(founder, encode(ioana)).personKey;
      expect(linker.link(member, encode(ioanna)).personKey).toBe(first);
      // A's new version no longer matches B: B's group keeps the key A gave it, A starts a new person.
      const moved = linker.link(founder, encode(other)).personKey;
      expect(linker.persons).toBe(2);
      expect(linker.personKeyOf(member)).toBe(first);
      expect(moved).not.toBe(first);
      // And once more, back and forth: still one key per group.
      const third = linker.link(founder, encode(swapped)).personKey;
      expect(third).toBe(first);
      const fourth = linker.link(founder, encode(other)).personKey;
      expect(fourth).not.toBe(first);
      return [first, moved, fourth];
    };
    // Deterministic by linking order.
    expect(run()).toEqual(run());
  });

  it('adopts a stored key for a rebuilt group, keeps it for records joining later, and refuses a key another group holds', () => {
    const before = createLinker(secret);
    const first = { providerId: 'p', recordId: 'founder' };
    const keep = { providerId: 'p', recordId: 'kept' };
    const stored = before.link(first, encode(ioana)).personKey;
    before.link(keep, encode(ioanna));
    before.unlink(first);
    // Rebuilt from what is left, the group would be founded by `kept` and take another key.
    const after = createLinker(secret);
    const rebuilt = after.link(keep, encode(ioanna)).personKey;
    expect(rebuilt).not.toBe(stored);
    const maria = { providerId: 'p', recordId: 'maria' };
    after.link(maria, encode(other));
    expect(after.adopt(keep, stored)).toBe(true);
    expect(after.personKeyOf(keep)).toBe(stored);
    expect(after.link({ providerId: 'q', recordId: 'late' }, encode(swapped)).personKey).toBe(stored);
    expect(after.adopt(maria, stored)).toBe(false);
    expect(after.adopt({ providerId: 'p', recordId: 'unknown' }, 'l:x')).toBe(false);
    expect(after.persons).toBe(2);
  });
});
