import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach } from 'vitest';
import { JuspayClient, type JuspayClientOptions, type JuspayEvent } from '../src/index.js';
import { startFakeJuspay, type FakeJuspay, type FakeJuspayOptions } from '../src/testing/index.js';

export const API_KEY = 'sk_test_Secr3tKey_do_not_leak';
export const ENCODED_KEY = Buffer.from(`${API_KEY}:`).toString('base64');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A fake Juspay with one customer and two cards, and a client pointed at it. Both close after the test. */
export async function setup(
  clientOptions: Partial<JuspayClientOptions> = {},
  fakeOptions: FakeJuspayOptions = {},
): Promise<{ fake: FakeJuspay; client: JuspayClient; events: JuspayEvent[] }> {
  const fake = await startFakeJuspay({
    apiKey: API_KEY,
    cards: [
      { customerId: 'cust_1', cardReference: 'ref_1' },
      { customerId: 'cust_1', cardReference: 'ref_2' },
    ],
    ...fakeOptions,
  });
  const events: JuspayEvent[] = [];
  const client = new JuspayClient({
    apiKey: API_KEY,
    baseUrl: fake.url,
    onEvent: (event) => events.push(event),
    ...clientOptions,
  });
  cleanups.push(
    () => fake.close(),
    () => client.close(),
  );
  return { fake, client, events };
}

/** Settles a promise that is expected to reject, returning the reason. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

export const params = { cardReference: 'ref_1', customerId: 'cust_1' } as const;

/** A trace context as a subscriber sees it. */
export type TraceContext = Record<string, unknown>;

/**
 * A real subscriber on a TracingChannel, as an APM tool would attach one: records what
 * each of its channels saw (a copy of the context at that moment). Unsubscribed after
 * the test.
 */
export function subscribeTracing(name: string): { name: string; context: TraceContext }[] {
  const channel = diagnosticsChannel.tracingChannel<string, TraceContext>(name);
  const seen: { name: string; context: TraceContext }[] = [];
  const record = (event: string) => (message: unknown) => {
    seen.push({ name: event, context: { ...(message as TraceContext) } });
  };
  const handlers = {
    start: record('start'),
    end: record('end'),
    asyncStart: record('asyncStart'),
    asyncEnd: record('asyncEnd'),
    error: record('error'),
  };
  channel.subscribe(handlers);
  cleanups.push(() => {
    channel.unsubscribe(handlers);
    return Promise.resolve();
  });
  return seen;
}
