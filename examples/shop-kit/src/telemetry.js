import { ConsoleSpanExporter, BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { instrumentJuspay } from '@juspay-tokens/core/otel';

/**
 * `OTEL=console`: one OpenTelemetry span per Juspay call, printed on the console as it
 * ends (`juspay listCards`, `juspay deleteToken`, with their attributes). A real shop
 * would start the OpenTelemetry Node SDK with its exporter and call `instrumentJuspay()`.
 *
 * @returns {() => Promise<void>} stops the spans and flushes the exporter
 */
export function startTelemetry() {
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
  });
  const stop = instrumentJuspay({ tracerProvider: provider });
  return async () => {
    stop();
    await provider.shutdown();
  };
}
