import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { listEntry, storeCard, type FakeCard, type StoredCard } from './fake-cards.js';

export type { FakeCard } from './fake-cards.js';

/** Options of {@link startFakeJuspay}. */
export interface FakeJuspayOptions {
  /** The API key the fake accepts. Default `'test_key'`. */
  apiKey?: string | undefined;
  /** Cards saved when the fake starts (and again on `reset()`). */
  cards?: readonly FakeCard[] | undefined;
  /**
   * The merchant id the list call must carry as `x-merchantid`; a list request without
   * it (or with another) answers 400. Default: any merchant id, or none.
   */
  merchantId?: string | undefined;
  /** Port to listen on; default `0` (any free port). */
  port?: number | undefined;
  /** Loopback address to listen on; default `'127.0.0.1'`. */
  host?: string | undefined;
  /**
   * Answer `429` with `Retry-After: 1` to requests past `perSecond` in any one-second
   * window (counting the requests it let through), as a gateway in front of Juspay would.
   */
  rateLimit?: { perSecond: number } | undefined;
  /**
   * Called once per request the fake answered (not for a connection it reset), with the
   * method, the path and query, and the status: what a log line needs, never a header.
   */
  onAnswer?: ((answer: { method: string; path: string; status: number }) => void) | undefined;
}

/** One request the fake received. */
export interface FakeJuspayRequest {
  method: string;
  /** Path and query, e.g. `/v4/card/delete`. */
  path: string;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body parsed as JSON, else its text (`undefined` when empty or unreadable). */
  body: unknown;
  /** When the whole request had arrived, in `performance.now()` milliseconds. */
  receivedAt: number;
}

/** A fault for the next requests; see {@link FakeJuspay.failNext}. */
export interface FakeJuspayFault {
  /**
   * HTTP status to answer with. Default `500` when a `body` is given; with neither `status`
   * nor `body` (nor `reset`) the fake answers as usual, only late: a slow upstream.
   */
  status?: number | undefined;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Response body: a string is sent as is, anything else as JSON. Default with a `status`: a JSON error body. */
  body?: unknown;
  /** Wait this long before sending headers (or before resetting). */
  delayMs?: number | undefined;
  /** Send headers, then wait this long before sending the body (a stalled body). */
  bodyDelayMs?: number | undefined;
  /** Destroy the connection instead of answering. */
  reset?: boolean | undefined;
  /** Send the headers and half of the body, then destroy the connection: a broken answer. */
  bodyReset?: boolean | undefined;
  /** Handle the request normally first (the card is deleted), then apply the fault: a lost answer. */
  afterDelete?: boolean | undefined;
  /** How many requests this fault applies to. Default `1`. */
  times?: number | undefined;
}

/** A running fake; see {@link startFakeJuspay}. */
export interface FakeJuspay {
  /** Base URL to give `JuspayClient` as `baseUrl`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The API key it accepts. */
  readonly apiKey: string;
  /** Every request received, oldest first. Clear it with `fake.requests.length = 0`. */
  readonly requests: FakeJuspayRequest[];
  /** Card references the customer still has, oldest first. */
  cards(customerId: string): string[];
  /** Saves a card; any field but the customer and the reference may be left out. */
  addCard(card: FakeCard): void;
  /** Makes the next `times` requests fail as described. Faults queue in order. */
  failNext(fault?: FakeJuspayFault): void;
  /**
   * Decides a fault for each request from the request itself (its body, headers...), for
   * concurrent tests where a queue cannot say which request meets which fault. Returning
   * `undefined` falls back to `failNext`'s queue and then to normal behaviour. Pass
   * `undefined` to stop. `times` is ignored here.
   */
  failWhen(select: ((request: FakeJuspayRequest) => FakeJuspayFault | undefined) | undefined): void;
  /** Drops queued faults and restores the seeded cards and an empty request log. */
  reset(): void;
  /** Stops listening and ends open connections and pending delays. */
  close(): Promise<void>;
}

const DELETE_PATH = '/v4/card/delete';
const LIST_PATH = '/cards';
const MAX_BODY_BYTES = 1024 * 1024;

/** Juspay's documented failure body for an unknown card or customer. */
export const INVALID_CARD_BODY = Object.freeze({
  error: true,
  error_message: 'INVALID_REQUEST',
  user_message: 'card_reference or customer_id is invalid',
});

function unauthorizedBody(): object {
  return {
    error_info: {
      category: 'USER_ERROR',
      request_id: `NOREQID-${Math.random().toString(36).slice(2, 10)}`,
      developer_message: 'Invalid API Key. Please pass a valid and active api key.',
      user_message: 'Unauthorized.',
      code: 'UNAUTHORIZED',
    },
  };
}

function badRequestBody(userMessage: string): object {
  return { error: true, error_message: 'BAD_REQUEST', user_message: userMessage };
}

/**
 * A sliding one-second window: whether a request arriving at `now` may pass, counting
 * the requests let through in the second before it. Always true without a limit.
 */
function rateWindow(limit: { perSecond: number } | undefined): (now: number) => boolean {
  if (limit === undefined) return () => true;
  const { perSecond } = limit;
  if (!Number.isFinite(perSecond) || perSecond <= 0) {
    throw new TypeError('startFakeJuspay: rateLimit.perSecond must be a number above 0');
  }
  const passed: number[] = [];
  return (now) => {
    while (passed.length > 0 && (passed[0] as number) <= now - 1000) passed.shift();
    if (passed.length >= perSecond) return false;
    passed.push(now);
    return true;
  };
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Starts a fake Juspay on loopback: a real HTTP server that behaves as the documented
 * Delete Token and List Stored Cards calls, for tests, demos and benchmarks.
 *
 * - wrong or missing key: 401 with an `error_info` body (`code: "UNAUTHORIZED"`);
 * - missing `x-routing-id`, a body that is not a JSON object with string
 *   `card_reference` and `customer_id`: 400 with a `BAD_REQUEST` body;
 * - unknown card or customer: 400 `{"error":true,"error_message":"INVALID_REQUEST",...}`;
 * - otherwise 200 `{"status":"SUCCESS"}` and the card is removed;
 * - `GET /cards?customer_id=`: 200 `{"customer_id", "merchantId", "cards": [...]}` with
 *   Juspay's field names, card tokens and fingerprints included (so tests can prove the
 *   client leaves them out); 400 without the `merchantId` given as an option.
 *
 * @example
 * const fake = await startFakeJuspay({ cards: [{ customerId: 'c1', cardReference: 'r1' }] });
 * const client = new JuspayClient({ apiKey: fake.apiKey, baseUrl: fake.url });
 */
export async function startFakeJuspay(options: FakeJuspayOptions = {}): Promise<FakeJuspay> {
  const apiKey = options.apiKey ?? 'test_key';
  const expectedAuth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
  const seed = [...(options.cards ?? [])];
  const wallet = new Map<string, Map<string, StoredCard>>();
  const requests: FakeJuspayRequest[] = [];
  const faults: (FakeJuspayFault & { times: number })[] = [];
  let selectFault: ((request: FakeJuspayRequest) => FakeJuspayFault | undefined) | undefined;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const limiter = rateWindow(options.rateLimit);

  const addCard = (card: FakeCard) => {
    let cards = wallet.get(card.customerId);
    if (cards === undefined) wallet.set(card.customerId, (cards = new Map<string, StoredCard>()));
    cards.set(card.cardReference, storeCard(card));
  };
  const seedWallet = () => {
    wallet.clear();
    for (const card of seed) addCard(card);
  };
  seedWallet();

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Readonly<Record<string, string>> = {},
  ) => {
    if (res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const isJson = typeof body !== 'string';
    res.writeHead(status, {
      ...(isJson ? { 'content-type': 'application/json' } : {}),
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };

  /** `POST /v4/card/delete`: the card is removed, or the documented failure. */
  const deleteAnswer = (entry: FakeJuspayRequest, parseFailed: boolean): [number, object] => {
    const body = entry.body as { card_reference?: unknown; customer_id?: unknown } | undefined;
    if (
      parseFailed ||
      typeof body !== 'object' ||
      body === null ||
      typeof body.card_reference !== 'string' ||
      typeof body.customer_id !== 'string'
    ) {
      return [400, badRequestBody('Request body must be JSON with card_reference and customer_id')];
    }
    const cards = wallet.get(body.customer_id);
    if (cards === undefined || !cards.delete(body.card_reference)) return [400, { ...INVALID_CARD_BODY }];
    return [200, { status: 'SUCCESS' }];
  };

  /** `GET /cards?customer_id=`: the customer's cards with Juspay's field names (none: `[]`). */
  const listAnswer = (req: IncomingMessage, query: URLSearchParams): [number, object] => {
    const merchant = req.headers['x-merchantid'];
    if (options.merchantId !== undefined && merchant !== options.merchantId) {
      return [400, badRequestBody('x-merchantid header is missing or not this merchant')];
    }
    const customerId = query.get('customer_id');
    if (!customerId) return [400, badRequestBody('customer_id is required')];
    const cards = [...(wallet.get(customerId)?.values() ?? [])].map(listEntry);
    return [200, { customer_id: customerId, merchantId: merchant ?? options.merchantId ?? '', cards }];
  };

  /** The documented behaviour: the answer the real API would give. */
  const answer = (req: IncomingMessage, entry: FakeJuspayRequest, parseFailed: boolean): [number, object] => {
    if (req.headers.authorization !== expectedAuth) return [401, unauthorizedBody()];
    const url = new URL(entry.path, 'http://fake.invalid');
    const method = url.pathname === DELETE_PATH ? 'POST' : url.pathname === LIST_PATH ? 'GET' : undefined;
    if (method === undefined) return [404, badRequestBody('Not found')];
    if (req.method !== method) return [405, badRequestBody('Method not allowed')];
    if (!req.headers['x-routing-id']) return [400, badRequestBody('x-routing-id header is required')];
    return method === 'POST' ? deleteAnswer(entry, parseFailed) : listAnswer(req, url.searchParams);
  };

  const applyFault = (
    req: IncomingMessage,
    res: ServerResponse,
    fault: FakeJuspayFault,
    normal: () => [number, object],
  ) => {
    const respond = () => {
      if (res.destroyed) return;
      if (fault.reset === true) {
        req.socket.destroy();
        return;
      }
      let status: number;
      let body: unknown;
      if (fault.status === undefined && fault.body === undefined) [status, body] = normal();
      else {
        status = fault.status ?? 500;
        body = fault.body ?? { error: true, error_message: 'INTERNAL_ERROR', user_message: 'Injected fault' };
      }
      if (fault.bodyDelayMs === undefined && fault.bodyReset !== true) {
        send(res, status, body, fault.headers);
        return;
      }
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        ...fault.headers,
      });
      if (fault.bodyReset === true) {
        res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
        return;
      }
      res.flushHeaders();
      later(fault.bodyDelayMs ?? 0, () => {
        if (!res.destroyed) res.end(text);
      });
    };
    if (fault.delayMs !== undefined && fault.delayMs > 0) later(fault.delayMs, respond);
    else respond();
  };

  const server: Server = createServer((req, res) => {
    const { onAnswer } = options;
    if (onAnswer !== undefined) {
      res.on('finish', () =>
        onAnswer({ method: req.method ?? 'GET', path: req.url ?? '/', status: res.statusCode }),
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => {});
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text === '' ? undefined : text;
      let parseFailed = tooLarge;
      if (text !== '' && !tooLarge) {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          parseFailed = true;
        }
      }
      const entry: FakeJuspayRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: headerRecord(req),
        body,
        receivedAt: performance.now(),
      };
      requests.push(entry);
      if (!limiter(entry.receivedAt)) {
        send(
          res,
          429,
          { error: true, error_message: 'TOO_MANY_REQUESTS', user_message: 'Rate limited' },
          {
            'retry-after': '1',
          },
        );
        return;
      }

      const selected = selectFault?.(entry);
      const queued = selected === undefined ? faults[0] : undefined;
      if (queued !== undefined) {
        queued.times -= 1;
        if (queued.times <= 0) faults.shift();
      }
      const fault = selected ?? queued;
      if (fault !== undefined) {
        // The normal answer is worked out now when the delete is to happen first, else
        // only if and when the fault falls back to it.
        const first = fault.afterDelete === true ? answer(req, entry, parseFailed) : undefined;
        applyFault(req, res, fault, () => first ?? answer(req, entry, parseFailed));
        return;
      }
      const [status, payload] = answer(req, entry, parseFailed);
      send(res, status, payload);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    apiKey,
    requests,
    cards: (customerId) => [...(wallet.get(customerId)?.keys() ?? [])],
    addCard,
    failNext: (fault = {}) => {
      const times = fault.times ?? 1;
      if (!Number.isSafeInteger(times) || times < 1)
        throw new TypeError('failNext: times must be a whole number from 1');
      faults.push({ ...fault, times });
    },
    failWhen: (select) => {
      selectFault = select;
    },
    reset: () => {
      faults.length = 0;
      selectFault = undefined;
      requests.length = 0;
      seedWallet();
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
