// The two compact structures that keep a million-row run in bounded memory, checked
// against the plain Set and Map they replace, on random pairs that collide in their
// hash tables.
import { describe, expect, it } from 'vitest';
import { JournalIndex, pairHash } from '../src/journal-index.js';
import { PairSet } from '../src/pair-set.js';

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

describe('PairSet', () => {
  it('agrees with a Set of strings on 50,000 random pairs, repeats and near-repeats included', () => {
    const random = prng(7);
    const pairs = new PairSet();
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
  });
});

describe('JournalIndex', () => {
  it('keeps the last record per line, forgets a line whose pair changed, and round-trips request ids', () => {
    const index = new JournalIndex();
    const pair = pairHash('c1', 'r1');
    index.started(5000, pair);
    expect(index.lookup(5000, pair)).toEqual({ started: true, outcome: undefined });
    index.finished(5000, pair, {
      outcome: 'failed',
      code: 'TIMEOUT',
      requestId: '92e84282-2fa5-4073-9683-917b0c677bc0',
      attempts: 3,
      ambiguous: true,
    });
    expect(index.lookup(5000, pair)).toEqual({
      started: true,
      outcome: {
        outcome: 'failed',
        code: 'TIMEOUT',
        requestId: '92e84282-2fa5-4073-9683-917b0c677bc0',
        attempts: 3,
        ambiguous: true,
      },
    });
    index.finished(5000, pair, { outcome: 'deleted', code: undefined, requestId: undefined, attempts: 1 });
    expect(index.lookup(5000, pair)?.outcome).toEqual({
      outcome: 'deleted',
      code: undefined,
      requestId: undefined,
      attempts: 1,
      ambiguous: false,
    });
    expect(index.lookup(5000, pairHash('c1', 'r2'))).toBeUndefined();
    expect(index.lookup(4999, pair)).toBeUndefined();
    expect(index.lookup(10_000_000, pair)).toBeUndefined();
  });
});
