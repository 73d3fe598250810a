/**
 * A list answer's cards, as the client gives them: only what is safe to show the shopper
 * and to log. Juspay's card token (a payment credential), fingerprint, BIN, cardholder
 * name and full number are never copied out of the answer.
 */
import { describeIdProblem } from './input.js';
import { bodySchemas, type JuspayCard } from './schemas.js';
import { cleanText } from './text.js';

/** One saved card, as `listCards` gives it. Every string is text: escape it where you render it. */
export interface SavedCard {
  /** Juspay's stable `card_reference`, exactly as given: what `deleteToken` takes. */
  cardReference: string;
  /** The last four digits of the masked card number. */
  last4: string | undefined;
  /** `card_brand`, e.g. `VISA`. */
  brand: string | undefined;
  /** Two digits, `01`-`12`. */
  expiryMonth: string | undefined;
  /** Four digits. */
  expiryYear: string | undefined;
  /** `card_type`: `CREDIT`, `DEBIT`... */
  type: string | undefined;
  /** `card_issuer`, e.g. the issuing bank. */
  issuer: string | undefined;
  /** What the shopper named the card: whatever they typed. */
  nickname: string | undefined;
  /** Whether Juspay says the card has expired. */
  expired: boolean;
}

/** The most code points a card's text field keeps. */
const MAX_FIELD_TEXT = 64;

const shown = (value: string | undefined) => cleanText(value, MAX_FIELD_TEXT);

function last4Of(cardNumber: string | undefined): string | undefined {
  return cardNumber === undefined ? undefined : /(\d{4})\D*$/.exec(cardNumber)?.[1];
}

function monthOf(value: string | number | undefined): string | undefined {
  const raw = String(value ?? '').trim();
  const month = Number(raw);
  if (!/^\d{1,2}$/.test(raw) || month < 1 || month > 12) return undefined;
  return String(month).padStart(2, '0');
}

function yearOf(value: string | number | undefined): string | undefined {
  const year = String(value ?? '').trim();
  if (/^\d{4}$/.test(year)) return year;
  // Two digits (`31`) are read in this century, as card embossing does.
  return /^\d{2}$/.test(year) ? `20${year}` : undefined;
}

function toSavedCard(card: JuspayCard): SavedCard | undefined {
  const reference = card.card_reference;
  if (typeof reference !== 'string' || describeIdProblem(reference) !== undefined) return undefined;
  return {
    cardReference: reference,
    last4: last4Of(card.card_number),
    brand: shown(card.card_brand),
    expiryMonth: monthOf(card.card_exp_month),
    expiryYear: yearOf(card.card_exp_year ?? card.card_expiry_year),
    type: shown(card.card_type),
    issuer: shown(card.card_issuer),
    nickname: shown(card.nickname),
    expired: card.expired === true || card.expired === 'true',
  };
}

/**
 * The saved cards of a list answer whose `cards` is an array. An entry that is not an
 * object, or whose `card_reference` is missing, not a string or breaks the input rules,
 * is left out.
 */
export function savedCardsOf(answer: { cards: unknown[] }): SavedCard[] {
  const cards: SavedCard[] = [];
  for (const entry of answer.cards) {
    const parsed = bodySchemas().parseJuspayCard(entry);
    const card = parsed === undefined ? undefined : toSavedCard(parsed);
    if (card !== undefined) cards.push(card);
  }
  return cards;
}
