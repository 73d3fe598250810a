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

const FOUR_DIGITS = /^\d{4}$/;
const TWO_DIGIT_MONTH = /^(?:0[1-9]|1[0-2])$/;

function last4Of(cardNumber: string | undefined): string | undefined {
  if (cardNumber === undefined) return undefined;
  // The usual masked number ends in its four digits.
  const tail = cardNumber.slice(-4);
  if (FOUR_DIGITS.test(tail)) return tail;
  return /(\d{4})\D*$/.exec(cardNumber)?.[1];
}

function monthOf(value: string | number | undefined): string | undefined {
  // The usual month is already two digits, 01-12.
  if (typeof value === 'string' && TWO_DIGIT_MONTH.test(value)) return value;
  const raw = String(value ?? '').trim();
  const month = Number(raw);
  if (!/^\d{1,2}$/.test(raw) || month < 1 || month > 12) return undefined;
  return String(month).padStart(2, '0');
}

function yearOf(value: string | number | undefined): string | undefined {
  if (typeof value === 'string' && FOUR_DIGITS.test(value)) return value;
  const year = String(value ?? '').trim();
  if (FOUR_DIGITS.test(year)) return year;
  // Two digits (`31`) are read in this century, as card embossing does.
  return /^\d{2}$/.test(year) ? `20${year}` : undefined;
}

const isText = (value: unknown) => value === undefined || typeof value === 'string';
const isDigits = (value: unknown) => isText(value) || typeof value === 'number';

/**
 * The usual entry, read as it is: an object whose named fields already have the types
 * the schema gives them (text, or a string or a number for the expiry), so parsing would
 * only copy them (`toSavedCard` reads nothing else). Anything else (a number where text
 * belongs, an array...) is `undefined`, and goes through the schema. The tests hold both
 * ways to the same cards.
 */
export function usualCard(entry: unknown): JuspayCard | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const card = entry as Record<string, unknown>;
  const usual =
    isText(card.card_number) &&
    isText(card.card_brand) &&
    isText(card.card_type) &&
    isText(card.card_issuer) &&
    isText(card.nickname) &&
    isDigits(card.card_exp_month) &&
    isDigits(card.card_exp_year) &&
    isDigits(card.card_expiry_year);
  return usual ? card : undefined;
}

/** A card as the client gives it, or `undefined` when its reference is missing or breaks the input rules. */
export function toSavedCard(card: JuspayCard): SavedCard | undefined {
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
    const parsed = usualCard(entry) ?? bodySchemas().parseJuspayCard(entry);
    const card = parsed === undefined ? undefined : toSavedCard(parsed);
    if (card !== undefined) cards.push(card);
  }
  return cards;
}
