// An upstream in its own process: a minimal loopback server that answers every delete
// with {"status":"SUCCESS"} and every list with three cards (the transport's best case), or the fake Juspay ("fake",
// optionally answering each request after a latency in ms).
// Reports its URL to the parent over IPC.
import { createServer } from 'node:http';
import { startFakeJuspay } from '@juspay-tokens/core/testing';

export const BENCH_KEY = 'bench_key';
const kind = process.argv[2] ?? 'minimal';
const latencyMs = Number(process.argv[3] ?? 0);

if (kind === 'fake') {
  const fake = await startFakeJuspay({ apiKey: BENCH_KEY });
  // Every delete targets a card that exists: re-add it after each request. Every listed
  // customer has three cards (an erasure run lists, then deletes each).
  fake.failWhen((req) => {
    const body = /** @type {{ card_reference?: string, customer_id?: string }} */ (req.body);
    if (typeof body?.card_reference === 'string' && typeof body.customer_id === 'string') {
      fake.addCard({ customerId: body.customer_id, cardReference: body.card_reference });
    }
    const listed =
      req.method === 'GET' ? new URL(req.path, 'http://fake').searchParams.get('customer_id') : null;
    if (listed !== null && fake.cards(listed).length === 0) {
      for (const n of [1, 2, 3]) fake.addCard({ customerId: listed, cardReference: `${listed}_card_${n}` });
    }
    fake.requests.length = 0; // keep memory flat over a long run
    return latencyMs > 0 ? { delayMs: latencyMs } : undefined;
  });
  process.send?.({ url: fake.url });
} else {
  const answer = Buffer.from('{"status":"SUCCESS"}');
  // A list answer as Juspay spells it: three cards with every field.
  const card = (reference, brand, last4) => ({
    card_token: `tkn_${reference}`,
    card_reference: reference,
    card_number: `XXXX-XXXX-XXXX-${last4}`,
    card_isin: '424242',
    card_exp_year: '2030',
    card_exp_month: '12',
    card_type: 'CREDIT',
    card_issuer: 'Demo Bank',
    card_brand: brand,
    nickname: '',
    name_on_card: 'Test Shopper',
    expired: false,
    card_fingerprint: `fp_${reference}`,
  });
  const list = Buffer.from(
    JSON.stringify({
      customer_id: 'cust_bench',
      merchantId: 'bench_merchant',
      cards: [
        card('ref_1', 'VISA', '4242'),
        card('ref_2', 'MASTERCARD', '5454'),
        card('ref_3', 'RUPAY', '6521'),
      ],
    }),
  );
  const server = createServer((req, res) => {
    const body = req.url?.startsWith('/cards') ? list : answer;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    process.send?.({ url: `http://127.0.0.1:${port}` });
  });
}
process.on('disconnect', () => process.exit(0));
