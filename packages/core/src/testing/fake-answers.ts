/**
 * What the real API answers: the documented Delete Token and List Stored Cards
 * behaviour, and the bodies the fake uses for the failures it injects.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CardStore } from './fake-cards.js';

/** An answer to write: status, body (a string as is, anything else as JSON) and headers. */
export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>> | undefined;
}

/** Juspay's documented failure body for an unknown card or customer. */
export const INVALID_CARD_BODY = Object.freeze({
  error: true,
  error_message: 'INVALID_REQUEST',
  user_message: 'card_reference or customer_id is invalid',
});

/** What a rate-limited request gets, as a gateway in front of Juspay would answer. */
export const RATE_LIMITED_ANSWER: FakeAnswer = Object.freeze({
  status: 429,
  body: { error: true, error_message: 'TOO_MANY_REQUESTS', user_message: 'Rate limited' },
  headers: { 'retry-after': '1' },
});

/** The body of an injected failure that named a status but no body. */
export const INJECTED_FAULT_BODY = Object.freeze({
  error: true,
  error_message: 'INTERNAL_ERROR',
  user_message: 'Injected fault',
});

const DELETE_PATH = '/v4/card/delete';
const LIST_PATH = '/cards';

function unauthorized(): FakeAnswer {
  const request_id = `NOREQID-${Math.random().toString(36).slice(2, 10)}`;
  return {
    status: 401,
    body: {
      error_info: {
        category: 'USER_ERROR',
        request_id,
        developer_message: 'Invalid API Key. Please pass a valid and active api key.',
        user_message: 'Unauthorized.',
        code: 'UNAUTHORIZED',
      },
    },
  };
}

function badRequest(userMessage: string, status = 400): FakeAnswer {
  return { status, body: { error: true, error_message: 'BAD_REQUEST', user_message: userMessage } };
}

/** A request as the answers read it. */
export interface AnsweredRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, else its text. */
  body: unknown;
  /** The body was not JSON, or over the size the fake reads. */
  parseFailed: boolean;
}

/** What the fake knows besides its cards: the credential and merchant it accepts. */
export interface AnswerSettings {
  authorization: string;
  merchantId: string | undefined;
}

/** `POST /v4/card/delete`: the card is removed, or the documented failure. */
function deleteAnswer(store: CardStore, request: AnsweredRequest): FakeAnswer {
  const body = request.body as { card_reference?: unknown; customer_id?: unknown } | undefined;
  if (
    request.parseFailed ||
    typeof body !== 'object' ||
    body === null ||
    typeof body.card_reference !== 'string' ||
    typeof body.customer_id !== 'string'
  ) {
    return badRequest('Request body must be JSON with card_reference and customer_id');
  }
  if (!store.delete(body.customer_id, body.card_reference))
    return { status: 400, body: { ...INVALID_CARD_BODY } };
  return { status: 200, body: { status: 'SUCCESS' } };
}

/** `GET /cards?customer_id=`: the customer's cards with Juspay's field names (none: `[]`). */
function listAnswer(store: CardStore, request: AnsweredRequest, settings: AnswerSettings): FakeAnswer {
  const merchant = request.headers['x-merchantid'];
  if (settings.merchantId !== undefined && merchant !== settings.merchantId) {
    return badRequest('x-merchantid header is missing or not this merchant');
  }
  const customerId = new URL(request.path, 'http://fake.invalid').searchParams.get('customer_id');
  if (!customerId) return badRequest('customer_id is required');
  const cards = store.listed(customerId);
  return {
    status: 200,
    body: { customer_id: customerId, merchantId: merchant ?? settings.merchantId ?? '', cards },
  };
}

/** The documented behaviour: the answer the real API would give (a delete changes the store). */
export function documentedAnswer(
  store: CardStore,
  request: AnsweredRequest,
  settings: AnswerSettings,
): FakeAnswer {
  if (request.headers.authorization !== settings.authorization) return unauthorized();
  const { pathname } = new URL(request.path, 'http://fake.invalid');
  const method = pathname === DELETE_PATH ? 'POST' : pathname === LIST_PATH ? 'GET' : undefined;
  if (method === undefined) return badRequest('Not found', 404);
  if (request.method !== method) return badRequest('Method not allowed', 405);
  if (!request.headers['x-routing-id']) return badRequest('x-routing-id header is required');
  return method === 'POST' ? deleteAnswer(store, request) : listAnswer(store, request, settings);
}
