/**
 * `@juspay-tokens/core/otel` with the real OpenTelemetry SDK (`sdk-trace-base` and an
 * in-memory exporter) against the fake over loopback.
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrumentJuspay } from '../src/otel.js';
import { API_KEY, ENCODED_KEY, params, rejection, setup } from './helpers.js';

const MERCHANT_ID = 'otel_merchant';
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
let stop: (() => void) | undefined;

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(async () => {
  context.disable();
  await provider.shutdown();
});
beforeEach(() => {
  stop = instrumentJuspay({ tracerProvider: provider });
});
afterEach(() => {
  stop?.();
  exporter.reset();
});

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();

/** Everything a span carries, as text: name, attributes, status, events. */
const spanText = (span: ReadableSpan) =>
  JSON.stringify({ name: span.name, attributes: span.attributes, status: span.status, events: span.events });

describe('instrumentJuspay', () => {
  it('makes one CLIENT span per delete with the contract’s attributes', async () => {
    const { client, fake } = await setup();
    const result = await client.deleteToken(params);
    expect(spans()).toHaveLength(1);
    const [span] = spans();
    const port = Number(new URL(fake.url).port);
    expect(span?.name).toBe('juspay deleteToken');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toEqual({
      'server.address': '127.0.0.1',
      'server.port': port,
      'juspay.request_id': result.requestId,
      'http.response.status_code': 200,
      'juspay.outcome': 'deleted',
      'juspay.ambiguous': false,
    });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.instrumentationScope.name).toBe('@juspay-tokens/core');
  });

  it('marks a failure ERROR with error.type, and counts the resends after retries', async () => {
    const { client, fake } = await setup({ maxRetries: 2 });
    fake.failNext({ status: 503, headers: { 'retry-after': '0' }, times: 2 });
    await client.deleteToken(params);
    const again = (await rejection(client.deleteToken(params))) as { code: string };
    expect(again.code).toBe('INVALID_REQUEST');
    const [retried, failed] = spans();
    expect(retried?.attributes).toMatchObject({
      'http.request.resend_count': 2,
      'http.response.status_code': 200,
      'juspay.outcome': 'deleted',
      'juspay.ambiguous': true,
    });
    expect(failed?.attributes).toMatchObject({
      'error.type': 'INVALID_REQUEST',
      'http.response.status_code': 400,
      'juspay.outcome': 'failed',
    });
    expect(failed?.attributes).not.toHaveProperty('http.request.resend_count');
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'INVALID_REQUEST' });
  });

  it('makes a juspay listCards span, and ERROR with TIMEOUT for a hung list', async () => {
    const { client, fake } = await setup({ merchantId: MERCHANT_ID, maxRetries: 0, timeoutMs: 200 });
    await client.listCards({ customerId: 'cust_1' });
    fake.failNext({ delayMs: 2_000 });
    await rejection(client.listCards({ customerId: 'cust_1' }));
    const [listed, hung] = spans();
    expect(listed?.name).toBe('juspay listCards');
    expect(listed?.attributes).toMatchObject({
      'juspay.outcome': 'listed',
      'http.response.status_code': 200,
    });
    expect(hung?.attributes).toMatchObject({ 'error.type': 'TIMEOUT', 'juspay.outcome': 'failed' });
    expect(hung?.attributes).not.toHaveProperty('http.response.status_code');
    expect(hung?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('puts no key, card reference, customer or routing id in any span', async () => {
    const { client, fake } = await setup({ merchantId: MERCHANT_ID });
    fake.failNext({ status: 401, body: { error_message: `bad key ${API_KEY}` } });
    await rejection(client.deleteToken({ ...params, routingId: 'route_9' }));
    await client.deleteToken({ ...params, routingId: 'route_9' });
    await client.listCards({ customerId: 'cust_1', routingId: 'route_9' });
    expect(spans()).toHaveLength(3);
    for (const span of spans()) {
      const text = spanText(span);
      for (const secret of [API_KEY, ENCODED_KEY, 'ref_1', 'ref_2', 'cust_1', 'route_9']) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('makes the span a child of the span active when the call was made', async () => {
    const { client } = await setup();
    const tracer = provider.getTracer('merchant');
    await tracer.startActiveSpan('checkout', async (parent) => {
      await client.deleteToken(params);
      parent.end();
    });
    const call = spans().find((s) => s.name === 'juspay deleteToken');
    const parent = spans().find((s) => s.name === 'checkout');
    expect(call?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(call?.spanContext().traceId).toBe(parent?.spanContext().traceId);
  });

  it('stops making spans once unsubscribed', async () => {
    const { client } = await setup();
    stop?.();
    await client.deleteToken(params);
    expect(spans()).toEqual([]);
  });

  it('uses the global tracer provider when given none', async () => {
    stop?.();
    trace.setGlobalTracerProvider(provider);
    try {
      stop = instrumentJuspay();
      const { client } = await setup();
      await client.deleteToken(params);
      expect(spans().map((s) => s.name)).toEqual(['juspay deleteToken']);
    } finally {
      trace.disable();
    }
  });
});
