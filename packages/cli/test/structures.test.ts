// The two compact structures that keep a million-row run in bounded memory, checked
// against the plain Set and Map they replace, on random pairs that collide in their
// hash tables.
import { describe, expect, it } from 'vitest';
import { JournalIndex } from '../src/journal-index.js';
import { PairTable } from '../src/pair-table.js';

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('PairTable', () => {
  it('agrees with a Set of strings on 50,000 random pairs, repeats and near-repeats included', () => {
    const random = prng(7);
    const pairs = new PairTable();
    const reference = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const customerId = `c${Math.floor(random() * 300)}`;
      const cardReference =
        random() < 0.1 ? `r${Math.floor(random() * 50)}é` : `r${Math.floor(random() * 200)}`;
      const key = `${customerId}\u0000${cardReference}`;
      expect(pairs.add(customerId, cardReference)).toBe(!reference.has(key));
      reference.add(key);
    }
    expect(pairs.size).toBe(reference.size);
    // The separator keeps ("a", "b\u0000c") apart from ("a\u0000b", "c")-like shifts.
    expect(pairs.add('ab', 'c')).toBe(true);
    expect(pairs.add('a', 'bc')).toBe(true);
    // The length prefix keeps pairs apart whatever characters they hold.
    expect(pairs.add('a\u0000b', 'c')).toBe(true);
    expect(pairs.add('a', 'b\u0000c')).toBe(true);
  });

  it('gives each pair one id, in the order added, and finds it again', () => {
    const pairs = new PairTable();
    const ids = Array.from({ length: 5000 }, (_, i) => pairs.idFor(`c${i % 70}`, `r${i}`));
    expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(pairs.idFor('c3', 'r3')).toBe(3);
    expect(pairs.idOf('c3', 'r3')).toBe(3);
    expect(pairs.idOf('c3', 'r4')).toBe(-1);
    expect(pairs.size).toBe(5000);
  });
});

describe('JournalIndex', () => {
  it('keeps the last record per pair, tells pairs apart exactly, and round-trips request ids', () => {
    const index = new JournalIndex();
    for (let i = 0; i < 3000; i++) index.started('other', `r${i}`); // grows its arrays
    index.started('c1', 'r1');
    expect(index.lookup('c1', 'r1')).toEqual({ started: true, outcome: undefined });
    index.finished('c1', 'r1', {
      outcome: 'failed',
      code: 'TIMEOUT',
      requestId: '92e84282-2fa5-4073-9683-917b0c677bc0',
      attempts: 3,
      ambiguous: true,
    });
    expect(index.lookup('c1', 'r1')).toEqual({
      started: true,
      outcome: {
        outcome: 'failed',
        code: 'TIMEOUT',
        requestId: '92e84282-2fa5-4073-9683-917b0c677bc0',
        attempts: 3,
        ambiguous: true,
      },
    });
    index.finished('c1', 'r1', { outcome: 'deleted', code: undefined, requestId: undefined, attempts: 1 });
    expect(index.lookup('c1', 'r1')?.outcome).toEqual({
      outcome: 'deleted',
      code: undefined,
      requestId: undefined,
      attempts: 1,
      ambiguous: false,
    });
    expect(index.lookup('c1', 'r2')).toBeUndefined();
    expect(index.lookup('c', '1r1')).toBeUndefined();
    expect(index.lookup('other', 'r2999')).toEqual({ started: true, outcome: undefined });
  });
});
