/**
 * `@juspay-tokens/core/otel`: OpenTelemetry spans from the client's TracingChannels. One
 * CLIENT span per call (all its attempts), named `juspay deleteToken` or
 * `juspay listCards`, with the semantic-convention attributes and the call's outcome.
 * `@opentelemetry/api` is an optional peer dependency, loaded only by this entry.
 *
 * @packageDocumentation
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { SpanKind, SpanStatusCode, trace, type Span, type TracerProvider } from '@opentelemetry/api';
import type { JuspayOperation } from './events.js';
import { LIST_TRACING_CHANNEL, TRACING_CHANNEL, type DeleteTokenTraceContext } from './tracing.js';
import { VERSION } from './version.js';

/** Options of {@link instrumentJuspay}. */
export interface InstrumentJuspayOptions {
  /** The provider to take the tracer from. Default: the global one registered with `@opentelemetry/api`. */
  tracerProvider?: TracerProvider | undefined;
}

/** What the spans read of a trace context (both operations'). */
type TraceContext = Omit<DeleteTokenTraceContext, 'outcome'> & { outcome?: string };

const CHANNELS: Record<JuspayOperation, string> = {
  deleteToken: TRACING_CHANNEL,
  listCards: LIST_TRACING_CHANNEL,
};

/** The attributes of a settled call; none holds the key, a card reference or a customer or routing id. */
function settledAttributes(context: TraceContext): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {
    'juspay.outcome': context.outcome ?? 'failed',
    'juspay.ambiguous': context.ambiguous ?? false,
  };
  if (context.statusCode !== undefined) attributes['http.response.status_code'] = context.statusCode;
  if (context.attempts !== undefined && context.attempts > 1) {
    attributes['http.request.resend_count'] = context.attempts - 1;
  }
  if (context.errorCode !== undefined) attributes['error.type'] = context.errorCode;
  return attributes;
}

/** Ends a call's span with what the call came to. */
function endSpan(span: Span, context: TraceContext): void {
  span.setAttributes(settledAttributes(context));
  // The error's code only: its message may carry Juspay's text about the shopper.
  if (context.errorCode !== undefined)
    span.setStatus({ code: SpanStatusCode.ERROR, message: context.errorCode });
  span.end();
}

/**
 * Makes one OpenTelemetry span per `deleteToken` and `listCards` call, from the
 * `juspay-tokens:deleteToken` and `juspay-tokens:listCards` TracingChannels: kind CLIENT,
 * `server.address`, `server.port`, `http.response.status_code` (the last status),
 * `http.request.resend_count` (after retries), `error.type` (the error's code) and status
 * ERROR on failure, and `juspay.request_id`, `juspay.outcome`, `juspay.ambiguous`. A
 * call's span is a child of the span active when the call was made.
 *
 * @returns A function that unsubscribes: calls made after it make no spans.
 *
 * @example
 * import { instrumentJuspay } from '@juspay-tokens/core/otel';
 * const stop = instrumentJuspay(); // after the OpenTelemetry SDK has started
 */
export function instrumentJuspay(options: InstrumentJuspayOptions = {}): () => void {
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  const tracer = provider.getTracer('@juspay-tokens/core', VERSION);
  const spans = new WeakMap<object, Span>();
  const subscriptions = (Object.entries(CHANNELS) as [JuspayOperation, string][]).map(([operation, name]) => {
    const channel = diagnosticsChannel.tracingChannel<string, TraceContext>(name);
    const handlers = {
      start(context: TraceContext) {
        const span = tracer.startSpan(`juspay ${operation}`, {
          kind: SpanKind.CLIENT,
          attributes: {
            'server.address': context.serverAddress,
            'server.port': context.serverPort,
            'juspay.request_id': context.requestId,
          },
        });
        spans.set(context, span);
      },
      end() {},
      asyncStart() {},
      error() {},
      asyncEnd(context: TraceContext) {
        const span = spans.get(context);
        if (span === undefined) return;
        spans.delete(context);
        endSpan(span, context);
      },
    };
    channel.subscribe(handlers);
    return () => channel.unsubscribe(handlers);
  });
  return () => {
    for (const unsubscribe of subscriptions) unsubscribe();
  };
}
