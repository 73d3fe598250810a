/** Upstream text made safe: the fast path for clean text gives what the full cleaning gives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../src/text.js';

/** The cleaning spelled out in full, with no fast path. */
function cleanedInFull(text: string, max: number): string | undefined {
  const clean = text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
  return clean === '' ? undefined : Array.from(clean).slice(0, max).join('');
}

describe('cleanText', () => {
  it('keeps a short clean field as it is and cleans the rest', () => {
    expect(cleanText('Work card', 64)).toBe('Work card');
    expect(cleanText(' padded\u00a0', 64)).toBe('padded');
    expect(cleanText('red\u001b[31mtext\r\nforged', 64)).toBe('redtext forged');
    expect(cleanText('\u0007', 64)).toBeUndefined();
    expect(cleanText('', 64)).toBeUndefined();
    // 80 UTF-16 units but 40 code points: kept whole; 70 code points are cut to 64.
    expect(cleanText('😀'.repeat(40), 64)).toBe('😀'.repeat(40));
    expect(cleanText('😀'.repeat(70), 64)).toBe('😀'.repeat(64));
  });

  it('agrees with the full cleaning on any text', () => {
    const pieces = fc.constantFrom('a', ' ', '\u00a0', '\t', '\u001b[1m', '\u0085', '😀', 'é', '\u2028', 'Z');
    fc.assert(
      fc.property(
        fc.array(fc.oneof(pieces, fc.string()), { maxLength: 40 }),
        fc.integer({ min: 1, max: 70 }),
        (parts, max) => {
          const text = parts.join('');
          expect(cleanText(text, max)).toBe(cleanedInFull(text, max));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
