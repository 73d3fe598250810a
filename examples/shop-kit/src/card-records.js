/**
 * The shop's own records of a shopper's saved cards: what the page lists. Juspay's v4
 * card family has no list call, so a merchant keeps these when a card is saved at
 * checkout, and drops one when it is deleted (the route's `onDeleted`). Only what RBI's
 * rules let a merchant keep: the card reference, the brand, the last four digits and the
 * expiry. In memory, or in Redis so that several instances see the same records.
 *
 * @typedef {{ cardReference: string, brand: string, last4: string, expiryMonth: number, expiryYear: number }} CardRecord
 * @typedef {{
 *   list(customerId: string): Promise<CardRecord[]>,
 *   remove(customerId: string, cardReference: string): Promise<void>,
 *   seed(customerId: string, cards: CardRecord[]): Promise<void>,
 * }} CardRecords
 */

/** The demo shopper's cards, as the offline fake Juspay starts with them. */
export const DEMO_CUSTOMER = 'demo_customer';
/** @type {CardRecord[]} */
export const DEMO_CARDS = [
  { cardReference: 'card_ref_visa_4242', brand: 'Visa', last4: '4242', expiryMonth: 8, expiryYear: 2028 },
  {
    cardReference: 'card_ref_mastercard_5454',
    brand: 'Mastercard',
    last4: '5454',
    expiryMonth: 11,
    expiryYear: 2027,
  },
  { cardReference: 'card_ref_rupay_6521', brand: 'RuPay', last4: '6521', expiryMonth: 3, expiryYear: 2029 },
];

const byReference = (a, b) => a.cardReference.localeCompare(b.cardReference);

/** @returns {CardRecords} */
export function memoryCardRecords() {
  /** @type {Map<string, Map<string, CardRecord>>} */
  const customers = new Map();
  const seeded = new Set();
  return {
    list: (customerId) => Promise.resolve([...(customers.get(customerId)?.values() ?? [])].sort(byReference)),
    remove(customerId, cardReference) {
      customers.get(customerId)?.delete(cardReference);
      return Promise.resolve();
    },
    seed(customerId, cards) {
      if (!seeded.has(customerId))
        customers.set(customerId, new Map(cards.map((card) => [card.cardReference, card])));
      seeded.add(customerId);
      return Promise.resolve();
    },
  };
}

/**
 * Records in Redis: one hash per customer. Seeding happens once per customer across
 * every instance (a marker key), so a card deleted through one instance stays deleted.
 *
 * @param {import('redis').RedisClientType} redis
 * @returns {CardRecords}
 */
export function redisCardRecords(redis) {
  const key = (customerId) => `shop:cards:${customerId}`;
  return {
    async list(customerId) {
      const fields = await redis.hGetAll(key(customerId));
      return Object.values(fields)
        .map((text) => JSON.parse(text))
        .sort(byReference);
    },
    async remove(customerId, cardReference) {
      await redis.hDel(key(customerId), cardReference);
    },
    async seed(customerId, cards) {
      const first = await redis.set(`shop:seeded:${customerId}`, '1', { NX: true });
      if (first === null || cards.length === 0) return;
      await redis.hSet(
        key(customerId),
        Object.fromEntries(cards.map((card) => [card.cardReference, JSON.stringify(card)])),
      );
    },
  };
}

/**
 * A card as the page shows it.
 * @param {CardRecord} card
 */
export function describeCard(card) {
  const expiry = `${String(card.expiryMonth).padStart(2, '0')}/${String(card.expiryYear % 100).padStart(2, '0')}`;
  return { cardReference: card.cardReference, brand: card.brand, last4: card.last4, expiry };
}
