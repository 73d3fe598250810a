import { startFakeJuspay, type FakeJuspay } from '@juspay-tokens/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleWorker, startWorker, type RunningWorker } from '../src/workerd.js';

// The fetch handler and the core's edge build in Cloudflare's real runtime, against the
// fake Juspay on loopback.

const API_KEY = 'sk_edge_Secr3t_never_shown';
const MERCHANT_ID = 'edge_merchant';
const SIGNED_IN = { cookie: 'customer=cust_1' };

let fake: FakeJuspay;
let worker: RunningWorker;
let bundle: Awaited<ReturnType<typeof bundleWorker>>;

beforeAll(async () => {
  fake = await startFakeJuspay({ apiKey: API_KEY, merchantId: MERCHANT_ID });
  bundle = await bundleWorker();
  worker = await startWorker(bundle.code, {
    JUSPAY_API_KEY: API_KEY,
    JUSPAY_BASE_URL: fake.url,
    JUSPAY_MERCHANT_ID: MERCHANT_ID,
  });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await fake?.close();
});

beforeEach(() => {
  fake.reset();
  fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1', brand: 'VISA', last4: '4242' });
  fake.addCard({ customerId: 'cust_1', cardReference: 'ref_2' });
});

describe('the fetch handler in workerd', () => {
  it('bundles without undici, raw-body or any node: module', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((path) => path.includes('/core/dist/edge/'))).toBe(true);
    expect(inputs.filter((path) => /undici|raw-body|node:|\/core\/dist\/[^e]/.test(path))).toEqual([]);
    expect(bundle.code).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });

  it('lists the signed-in shopper’s cards, with nothing secret, and names workerd in the user-agent', async () => {
    const res = await fetch(`${worker.url}/juspay/cards`, { headers: SIGNED_IN });
    const text = await res.text();
    expect({ status: res.status, output: res.status === 200 ? '' : worker.output() }).toEqual({
      status: 200,
      output: '',
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { cards } = JSON.parse(text) as { cards: { cardReference: string; last4: string }[] };
    expect(cards.map((card) => [card.cardReference, card.last4])).toEqual([
      ['ref_1', '4242'],
      ['ref_2', expect.any(String)],
    ]);
    expect(text).not.toMatch(/card_token|fingerprint|card_isin|name_on_card/);
    expect(fake.requests[0]?.headers['user-agent']).toMatch(/^juspay-tokens\/\S+ workerd$/);
  });

  it('deletes a card, reading the JSON body from the Request', async () => {
    const res = await fetch(`${worker.url}/juspay/cards/delete`, {
      method: 'POST',
      headers: { ...SIGNED_IN, 'content-type': 'application/json' },
      body: JSON.stringify({ card_reference: 'ref_1' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'SUCCESS' });
    expect(fake.cards('cust_1')).toEqual(['ref_2']);
  });

  it('reads a gzip body through DecompressionStream', async () => {
    const gzipped = await new Response(
      new Blob([JSON.stringify({ card_reference: 'ref_2' })])
        .stream()
        .pipeThrough(new CompressionStream('gzip')),
    ).arrayBuffer();
    const res = await fetch(`${worker.url}/juspay/cards/delete`, {
      method: 'POST',
      headers: { ...SIGNED_IN, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipped,
    });
    expect(res.status).toBe(200);
    expect(fake.cards('cust_1')).toEqual(['ref_1']);
  });

  it('ends a hanging upstream in a 504 within the deadline', async () => {
    fake.failNext({ delayMs: 5_000, times: 5 });
    const started = performance.now();
    const res = await fetch(`${worker.url}/juspay/cards`, { headers: SIGNED_IN });
    const ms = performance.now() - started;
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error: { code: 'UPSTREAM_TIMEOUT' } });
    expect(ms).toBeLessThan(3_000);
  });

  it('refuses a cross-site delete and a signed-out list, sending nothing', async () => {
    const crossSite = await fetch(`${worker.url}/juspay/cards/delete`, {
      method: 'POST',
      headers: { ...SIGNED_IN, 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ card_reference: 'ref_1' }),
    });
    expect(crossSite.status).toBe(403);
    const signedOut = await fetch(`${worker.url}/juspay/cards`);
    expect(signedOut.status).toBe(401);
    const other = await fetch(`${worker.url}/elsewhere`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(fake.requests).toHaveLength(0);
  });
});
