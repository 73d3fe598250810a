/**
 * The fake Juspay server: a real HTTP server on loopback whose state lives in named
 * parts (the card store, the fault queue, the rate window, the request log) and whose
 * answers all go through one writer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  documentedAnswer,
  INJECTED_FAULT_BODY,
  RATE_LIMITED_ANSWER,
  type AnswerSettings,
  type FakeAnswer,
} from './fake-answers.js';
import { CardStore, type FakeCard } from './fake-cards.js';
import { FaultQueue, RateWindow, type FakeJuspayFault, type FakeJuspayRequest } from './fake-faults.js';

export { INVALID_CARD_BODY } from './fake-answers.js';
export type { FakeCard } from './fake-cards.js';
export type { FakeJuspayFault, FakeJuspayRequest } from './fake-faults.js';

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

const MAX_BODY_BYTES = 1024 * 1024;

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** How an answer leaves: whole, with its body held back, or cut off halfway. */
type Delivery = { kind: 'whole' } | { kind: 'stalled'; bodyDelayMs: number } | { kind: 'broken' };

/** A request's body as read: parsed JSON, else its text, and whether it failed to parse. */
interface ReadBody {
  body: unknown;
  parseFailed: boolean;
}

/** Reads a request body (at most 1 MiB kept), then calls `done`. */
function readRequestBody(req: IncomingMessage, done: (read: ReadBody) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('error', () => {});
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    if (size > MAX_BODY_BYTES) return done({ body: text, parseFailed: true });
    if (text === '') return done({ body: undefined, parseFailed: false });
    try {
      done({ body: JSON.parse(text) as unknown, parseFailed: false });
    } catch {
      done({ body: text, parseFailed: true });
    }
  });
}

/** The fake itself; {@link startFakeJuspay} builds one and starts it listening. */
class FakeJuspayServer implements FakeJuspay {
  readonly apiKey: string;
  readonly requests: FakeJuspayRequest[] = [];
  readonly #options: FakeJuspayOptions;
  readonly #cards: CardStore;
  readonly #faults = new FaultQueue();
  readonly #rate: RateWindow;
  readonly #settings: AnswerSettings;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #url = '';
  #port = 0;

  constructor(options: FakeJuspayOptions) {
    this.#options = options;
    this.apiKey = options.apiKey ?? 'test_key';
    this.#cards = new CardStore(options.cards ?? []);
    this.#rate = new RateWindow(options.rateLimit);
    this.#settings = {
      authorization: `Basic ${Buffer.from(`${this.apiKey}:`).toString('base64')}`,
      merchantId: options.merchantId,
    };
    this.#server = createServer((req, res) => this.#onRequest(req, res));
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('clientError', (_err, socket) => socket.destroy());
  }

  get url(): string {
    return this.#url;
  }

  get port(): number {
    return this.#port;
  }

  /** Starts listening on the options' host and port. */
  async listen(): Promise<void> {
    const host = this.#options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port ?? 0, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${this.#port}`;
  }

  cards(customerId: string): string[] {
    return this.#cards.references(customerId);
  }

  addCard(card: FakeCard): void {
    this.#cards.add(card);
  }

  failNext(fault: FakeJuspayFault = {}): void {
    this.#faults.push(fault);
  }

  failWhen(select: ((request: FakeJuspayRequest) => FakeJuspayFault | undefined) | undefined): void {
    this.#faults.selectWith(select);
  }

  reset(): void {
    this.#faults.clear();
    this.requests.length = 0;
    this.#cards.reset();
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const { onAnswer } = this.#options;
    if (onAnswer !== undefined) {
      res.on('finish', () =>
        onAnswer({ method: req.method ?? 'GET', path: req.url ?? '/', status: res.statusCode }),
      );
    }
    readRequestBody(req, ({ body, parseFailed }) => {
      const entry: FakeJuspayRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: headerRecord(req),
        body,
        receivedAt: performance.now(),
      };
      this.requests.push(entry);
      if (!this.#rate.admits(entry.receivedAt)) return this.#write(req, res, RATE_LIMITED_ANSWER);
      const answer = () =>
        documentedAnswer(
          this.#cards,
          { method: entry.method, path: entry.path, headers: req.headers, body, parseFailed },
          this.#settings,
        );
      const fault = this.#faults.take(entry);
      if (fault === undefined) return this.#write(req, res, answer());
      // A lost answer: the documented behaviour happens now (the card is deleted), the fault after.
      const first = fault.afterDelete === true ? answer() : undefined;
      this.#applyFault(req, res, fault, () => first ?? answer());
    });
  }

  /** Answers as the fault says, after its delay; the normal answer only when it asks for one. */
  #applyFault(
    req: IncomingMessage,
    res: ServerResponse,
    fault: FakeJuspayFault,
    normal: () => FakeAnswer,
  ): void {
    const respond = () => {
      if (res.destroyed) return;
      if (fault.reset === true) {
        req.socket.destroy();
        return;
      }
      const base =
        fault.status === undefined && fault.body === undefined
          ? normal()
          : { status: fault.status ?? 500, body: fault.body ?? INJECTED_FAULT_BODY };
      const delivery: Delivery =
        fault.bodyReset === true
          ? { kind: 'broken' }
          : fault.bodyDelayMs === undefined
            ? { kind: 'whole' }
            : { kind: 'stalled', bodyDelayMs: fault.bodyDelayMs };
      this.#write(req, res, { ...base, headers: { ...base.headers, ...fault.headers } }, delivery);
    };
    if (fault.delayMs !== undefined && fault.delayMs > 0) this.#later(fault.delayMs, respond);
    else respond();
  }

  /** The one response writer: content type and length from the body, then the delivery. */
  #write(
    req: IncomingMessage,
    res: ServerResponse,
    answer: FakeAnswer,
    delivery: Delivery = { kind: 'whole' },
  ): void {
    if (res.destroyed) return;
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...answer.headers,
    });
    if (delivery.kind === 'whole') {
      res.end(text);
    } else if (delivery.kind === 'broken') {
      res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
    } else {
      res.flushHeaders();
      this.#later(delivery.bodyDelayMs, () => {
        if (!res.destroyed) res.end(text);
      });
    }
  }

  /** Runs `fn` after `ms`, unless the fake closes first. */
  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }
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
  const fake = new FakeJuspayServer(options);
  await fake.listen();
  return fake;
}
