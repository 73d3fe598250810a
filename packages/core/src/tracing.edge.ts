/**
 * Tracing in the edge build: there is no `node:diagnostics_channel` to publish on, so no
 * call is ever traced (`onEvent` still fires). Same exports as `tracing.ts`.
 */
import type { JuspayOperation } from './events.js';
import type { CallProgress, TraceSuccess } from './tracing.js';

export { LIST_TRACING_CHANNEL, TRACING_CHANNEL } from './tracing-names.js';
export type {
  CallProgress,
  DeleteTokenTraceContext,
  ListCardsTraceContext,
  TraceSuccess,
} from './tracing.js';

/** Never: nothing can subscribe here. */
export function isTracing(_operation: JuspayOperation): boolean {
  return false;
}

/** Runs the call untraced (never reached: {@link isTracing} is always `false`). */
export function traceCall<T>(
  _operation: JuspayOperation,
  _context: unknown,
  _progress: CallProgress,
  run: () => Promise<T>,
  _describe: (result: T) => TraceSuccess,
): Promise<T> {
  return run();
}
