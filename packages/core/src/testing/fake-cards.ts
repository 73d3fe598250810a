/**
 * The fake's saved cards: what a test says about a card, and the card as Juspay's list
 * answer spells it (every field, the ones the client must leave out included).
 */
import { randomBytes } from 'node:crypto';

/** A saved card known to the fake. Only the customer and the reference are required. */
export interface FakeCard {
  customerId: string;
  cardReference: string;
  /** `card_brand`; default `VISA`. */
  brand?: string | undefined;
  /** The last four digits of the masked `card_number`; default `4242` (by brand). */
  last4?: string | undefined;
  /** `card_exp_month`, two digits; default `12`. */
  expiryMonth?: string | undefined;
  /** `card_exp_year`, four digits; default `2030`. */
  expiryYear?: string | undefined;
  /** `nickname`; default none (`""`). */
  nickname?: string | undefined;
  /** `expired`; default `false`. */
  expired?: boolean | undefined;
  /** `card_type`; default `CREDIT`. */
  type?: string | undefined;
  /** `card_issuer`; default `Demo Bank`. */
  issuer?: string | undefined;
  /** `name_on_card` (which the client must never pass on); default `Test Shopper`. */
  nameOnCard?: string | undefined;
}

/** A card as stored: what was given, and the secrets Juspay would hold for it. */
export interface StoredCard extends FakeCard {
  /** The payment credential Juspay's list gives out, fresh per card. */
  cardToken: string;
  cardFingerprint: string;
}

// Plausible test numbers per brand: the BIN (card_isin) and the last four digits.
const BRAND_NUMBERS: Readonly<Record<string, { isin: string; last4: string }>> = {
  VISA: { isin: '424242', last4: '4242' },
  MASTERCARD: { isin: '545454', last4: '5454' },
  RUPAY: { isin: '652150', last4: '6521' },
  AMEX: { isin: '378282', last4: '0005' },
};

/** Stores a card with fresh secrets of its own. */
export function storeCard(card: FakeCard): StoredCard {
  return {
    ...card,
    cardToken: `tkn_${randomBytes(12).toString('hex')}`,
    cardFingerprint: randomBytes(16).toString('hex'),
  };
}

/** The card as an entry of Juspay's `GET /cards` answer, with Juspay's field names. */
export function listEntry(card: StoredCard): Record<string, unknown> {
  const brand = card.brand ?? 'VISA';
  const numbers = BRAND_NUMBERS[brand.toUpperCase()] ?? { isin: '400000', last4: '0000' };
  const last4 = card.last4 ?? numbers.last4;
  return {
    card_token: card.cardToken,
    card_reference: card.cardReference,
    card_number: `XXXX-XXXX-XXXX-${last4}`,
    card_isin: numbers.isin,
    card_exp_year: card.expiryYear ?? '2030',
    card_exp_month: card.expiryMonth ?? '12',
    card_type: card.type ?? 'CREDIT',
    card_issuer: card.issuer ?? 'Demo Bank',
    card_brand: brand,
    nickname: card.nickname ?? '',
    name_on_card: card.nameOnCard ?? 'Test Shopper',
    expired: card.expired ?? false,
    card_fingerprint: card.cardFingerprint,
  };
}

/** The fake's wallet: each customer's saved cards, by reference, restorable to the seed. */
export class CardStore {
  readonly #seed: readonly FakeCard[];
  readonly #wallet = new Map<string, Map<string, StoredCard>>();

  constructor(seed: readonly FakeCard[]) {
    this.#seed = [...seed];
    this.reset();
  }

  /** Saves a card (replacing one with the same reference), with fresh secrets. */
  add(card: FakeCard): void {
    let cards = this.#wallet.get(card.customerId);
    if (cards === undefined) this.#wallet.set(card.customerId, (cards = new Map<string, StoredCard>()));
    cards.set(card.cardReference, storeCard(card));
  }

  /** Removes a card; `false` when the customer has no such card. */
  delete(customerId: string, cardReference: string): boolean {
    return this.#wallet.get(customerId)?.delete(cardReference) ?? false;
  }

  /** The customer's card references, oldest first. */
  references(customerId: string): string[] {
    return [...(this.#wallet.get(customerId)?.keys() ?? [])];
  }

  /** The customer's cards as Juspay's list answer spells them. */
  listed(customerId: string): Record<string, unknown>[] {
    return [...(this.#wallet.get(customerId)?.values() ?? [])].map(listEntry);
  }

  /** Back to the cards the fake started with. */
  reset(): void {
    this.#wallet.clear();
    for (const card of this.#seed) this.add(card);
  }
}
