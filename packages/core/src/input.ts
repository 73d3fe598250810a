import { JuspayInputError } from './errors.js';

/** The most code points a card reference, customer id or routing id may have. */
export const MAX_ID_LENGTH = 256;

// What an HTTP header value can carry as is: U+0020-U+007E.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
// C0 controls, DEL and C1 controls.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;
// `\s` with the `u` flag is Unicode white space (NBSP, line separators, BOM, ...).
const EDGE_WHITE_SPACE = /^\s|\s$/u;

/**
 * Says what is wrong with an identifier string, or `undefined` when it follows the input
 * rules: 1-256 code points, no control characters, no leading or trailing white space.
 */
export function describeIdProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  // A string of at most 256 UTF-16 units has at most 256 code points: skip the count.
  if (value.length > MAX_ID_LENGTH && countCodePoints(value, MAX_ID_LENGTH + 1) > MAX_ID_LENGTH) {
    return `must be at most ${MAX_ID_LENGTH} characters`;
  }
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters';
  if (EDGE_WHITE_SPACE.test(value)) return 'must not start or end with white space';
  return undefined;
}

function countCodePoints(value: string, stopAt: number): number {
  let count = 0;
  for (const _ of value) {
    if (++count >= stopAt) break;
  }
  return count;
}

/** What is wrong with one identifier param, naming it, or `undefined` when it follows the input rules. */
function idIssue(field: string, value: unknown): string | undefined {
  if (value === undefined) return `${field} is required`;
  if (typeof value !== 'string') return `${field} must be a string`;
  const problem = describeIdProblem(value);
  return problem === undefined ? undefined : `${field} ${problem}`;
}

/** The identifier params of a call, in the order they are checked; `optional` ones may be absent. */
type IdFields = readonly (readonly [field: string, optional: boolean])[];

const DELETE_TOKEN_FIELDS: IdFields = [
  ['cardReference', false],
  ['customerId', false],
  ['routingId', true],
];
const LIST_CARDS_FIELDS: IdFields = [
  ['customerId', false],
  ['routingId', true],
];

/**
 * Checks a call's params: an object whose identifier fields follow the input rules.
 * Plain checks rather than a schema: the rules are the few above, and they run on every
 * call, so they cost nothing to load and little to run.
 * @throws {JuspayInputError} naming the first param at fault (`params` when it is no object).
 */
function checkIds(
  params: unknown,
  fields: IdFields,
  notAnObject: string,
): Record<string, string | undefined> {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new JuspayInputError('params', notAnObject);
  }
  const values = params as Record<string, unknown>;
  for (const [field, optional] of fields) {
    const value = values[field];
    if (optional && value === undefined) continue;
    const issue = idIssue(field, value);
    if (issue !== undefined) throw new JuspayInputError(field, issue);
  }
  return values as Record<string, string | undefined>;
}

/** What `deleteToken` is asked to delete. */
export interface DeleteTokenParams {
  /** Juspay's `card_reference` of the saved card. */
  cardReference: string;
  /** Juspay's `customer_id` of the card's owner. */
  customerId: string;
  /** Sent as `x-routing-id`; defaults to `customerId`. */
  routingId?: string | undefined;
}

/** Params after validation: the routing id is settled. */
export interface ValidDeleteTokenParams {
  cardReference: string;
  customerId: string;
  routingId: string;
}

/**
 * Checks params against the input rules without sending anything, as `deleteToken`
 * does first: for tools that validate a batch up front (the bulk deletion command).
 *
 * @returns `undefined` when the params pass, else the `JuspayInputError` that
 * `deleteToken` would reject with (its `field` names the param at fault).
 */
export function checkDeleteTokenParams(params: unknown): JuspayInputError | undefined {
  return inputErrorOf(() => parseDeleteTokenParams(params));
}

/**
 * Checks `listCards` params against the input rules without sending anything, as
 * `listCards` does first (the erasure command checks its customers up front).
 *
 * @returns `undefined` when the params pass, else the `JuspayInputError` that
 * `listCards` would reject with.
 */
export function checkListCardsParams(params: unknown): JuspayInputError | undefined {
  return inputErrorOf(() => parseListCardsParams(params));
}

function inputErrorOf(parse: () => unknown): JuspayInputError | undefined {
  try {
    parse();
    return undefined;
  } catch (err) {
    if (err instanceof JuspayInputError) return err;
    throw err;
  }
}

/**
 * The routing id that goes on the wire: the `routingId`, else the customer id. It
 * travels as the `x-routing-id` header, which only carries printable ASCII.
 * @throws {JuspayInputError} on `routingId` when it is not printable ASCII.
 */
function wireRoutingId(customerId: string, routingId: string | undefined): string {
  const wire = routingId ?? customerId;
  if (PRINTABLE_ASCII.test(wire)) return wire;
  throw new JuspayInputError(
    'routingId',
    routingId === undefined
      ? 'routingId is needed: customerId is sent as x-routing-id unless a routingId is given, and it has characters outside printable ASCII; pass an ASCII routingId'
      : 'routingId must be printable ASCII (it is sent as the x-routing-id header)',
  );
}

/**
 * Checks `deleteToken` params against the input rules.
 * @throws {JuspayInputError} naming the first param at fault.
 */
export function parseDeleteTokenParams(params: unknown): ValidDeleteTokenParams {
  const { cardReference, customerId, routingId } = checkIds(
    params,
    DELETE_TOKEN_FIELDS,
    'params must be an object with cardReference and customerId',
  ) as { cardReference: string; customerId: string; routingId: string | undefined };
  return { cardReference, customerId, routingId: wireRoutingId(customerId, routingId) };
}

/** Whose saved cards `listCards` is asked for. */
export interface ListCardsParams {
  /** Juspay's `customer_id`. */
  customerId: string;
  /** Sent as `x-routing-id`; defaults to `customerId`. */
  routingId?: string | undefined;
}

/** `listCards` params after validation: the routing id is settled. */
export interface ValidListCardsParams {
  customerId: string;
  routingId: string;
}

/**
 * Checks `listCards` params against the input rules.
 * @throws {JuspayInputError} naming the first param at fault.
 */
export function parseListCardsParams(params: unknown): ValidListCardsParams {
  const { customerId, routingId } = checkIds(
    params,
    LIST_CARDS_FIELDS,
    'params must be an object with customerId',
  ) as {
    customerId: string;
    routingId: string | undefined;
  };
  return { customerId, routingId: wireRoutingId(customerId, routingId) };
}
