import { describe, expect, it } from 'vitest';
import { groupedRows } from './rolling-grain-sql.js';

describe('groupedRows', () => {
  it('sums the rows of each part, codes and period, key sums in [0, 2^32), ordered by the bytes of those columns', () => {
    const rows = [
      { part: 'xc', u0: '', u1: '', up: '2024-Q1', un: '1796672613011', uk: '0' },
      { part: 'c', u0: 'M', u1: 'b', up: '2024-Q1', un: '2', uk: '9007199254740993' },
      { part: 'c', u0: 'F', u1: 'é', up: '2024-Q1', un: 1, uk: -5 },
      { part: 'c', u0: 'M', u1: 'b', up: '2024-Q1', un: '3', uk: '9007199254740993' },
      { part: 'c', u0: 'F', u1: 'z', up: '2024-Q1', un: '4', uk: '4294967296' },
      { part: 'h', u0: '', u1: '', up: '', un: '5', uk: '0' },
    ];
    // 2 × 9007199254740993 = 18014398509481986 ≡ 2 (mod 2^32), which doubles would round to 0; -5 ≡ 4294967291.
    expect(groupedRows(2, true, rows)).toEqual([
      { part: 'c', k0: 'F', k1: 'z', period_label: '2024-Q1', n: '4', key_sum: '0' },
      { part: 'c', k0: 'F', k1: 'é', period_label: '2024-Q1', n: '1', key_sum: '4294967291' },
      { part: 'c', k0: 'M', k1: 'b', period_label: '2024-Q1', n: '5', key_sum: '2' },
      { part: 'h', k0: '', k1: '', period_label: '', n: '5', key_sum: '0' },
      { part: 'xc', k0: '', k1: '', period_label: '2024-Q1', n: '1796672613011', key_sum: '0' },
    ]);
  });

  it('orders codes from U+D800 up by their bytes, where JavaScript orders them otherwise', () => {
    // U+FFFD is EF BF BD in UTF-8, below U+1F600's F0 9F 98 80; as UTF-16, U+1F600 (D83D DE00) comes first.
    const rows = ['😀', '\uFFFD', 'a'].map((code) => ({ part: 'c', u0: code, up: '', un: '1' }));
    expect(groupedRows(1, false, rows).map((row) => row.k0)).toEqual(['a', '\uFFFD', '😀']);
  });

  it('leaves key sums out when the read asks none', () => {
    expect(groupedRows(1, false, [{ part: 't', u0: '', up: '', un: '7' }])).toEqual([
      { part: 't', k0: '', period_label: '', n: '7' },
    ]);
  });
});
