/**
 * A list answer's cards: the usual entry read as it is gives exactly what the schema
 * gives, and the fast paths for the usual expiry and card number agree with the general
 * rules, on any input.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJuspayCard } from '../src/body-schemas.js';
import { savedCardsOf, toSavedCard, usualCard } from '../src/saved-cards.js';
import { loadBodySchemas } from '../src/schemas.js';

beforeAll(async () => {
  await loadBodySchemas();
});

const field = fc.oneof(
  fc.string(),
  fc.constantFrom('12', '1', '00', '13', '2031', '31', ' 2031 ', '0a', 'XXXX-4242', '4242 ', '\u0007x'),
  fc.integer({ min: -5, max: 3000 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 2 }),
);
const entry = fc.record(
  {
    card_reference: fc.oneof(fc.constantFrom('ref_1', ' ref', ''), fc.string()),
    card_number: field,
    card_brand: field,
    card_exp_month: field,
    card_exp_year: field,
    card_expiry_year: field,
    card_type: field,
    card_issuer: field,
    nickname: field,
    expired: field,
    card_token: fc.string(),
  },
  { requiredKeys: [] },
);

/** The expiry and last-four rules in full, with no fast path. */
const reference = {
  last4: (n: unknown) => (typeof n === 'string' ? /(\d{4})\D*$/.exec(n)?.[1] : undefined),
  month: (v: unknown) => {
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    const raw = String(v).trim();
    const month = Number(raw);
    return !/^\d{1,2}$/.test(raw) || month < 1 || month > 12 ? undefined : String(month).padStart(2, '0');
  },
  year: (v: unknown) => {
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    const year = String(v).trim();
    return /^\d{4}$/.test(year) ? year : /^\d{2}$/.test(year) ? `20${year}` : undefined;
  },
};

describe('savedCardsOf', () => {
  it('reads a usual entry as the schema would', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const usual = usualCard(e);
        if (usual === undefined) return;
        const parsed = parseJuspayCard(e);
        expect(parsed).toBeDefined();
        expect(toSavedCard(usual)).toEqual(parsed === undefined ? undefined : toSavedCard(parsed));
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives the usual expiry and last four as the general rules do', () => {
    fc.assert(
      fc.property(field, field, field, (number, month, year) => {
        const [card] = savedCardsOf({
          cards: [
            { card_reference: 'ref_1', card_number: number, card_exp_month: month, card_exp_year: year },
          ],
        });
        expect(card?.last4).toBe(reference.last4(number));
        expect(card?.expiryMonth).toBe(reference.month(month));
        expect(card?.expiryYear).toBe(reference.year(year));
      }),
      { numRuns: 3_000 },
    );
  });

  it('never copies the card token', () => {
    const [card] = savedCardsOf({
      cards: [{ card_reference: 'ref_1', card_token: 'tkn_secret', card_brand: 'VISA' }],
    });
    expect(JSON.stringify(card)).not.toContain('tkn_secret');
  });
});
