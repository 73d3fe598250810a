/**
 * Tracing through `node:diagnostics_channel`: every call is one trace on the
 * TracingChannel of its operation (`juspay-tokens:deleteToken`,
 * `juspay-tokens:listCards`), covering all its attempts, the way mysql2, ioredis and
 * node-redis publish theirs. With no subscriber nothing is built.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { JuspayError } from './errors.js';
import type { JuspayOperation } from './events.js';

import { LIST_TRACING_CHANNEL, TRACING_CHANNEL } from './tracing-names.js';

export { LIST_TRACING_CHANNEL, TRACING_CHANNEL };

/** What the trace contexts of both operations hold. None ever holds the API key, a card reference, a customer id or a routing id. */
interface TraceContextBase {
  /** Our `x-request-id`, the same on every attempt. */
  requestId: string;
  /** The host calls go to, e.g. `api.juspay.in`. */
  serverAddress: string;
  /** The port calls go to, e.g. `443`. */
  serverPort: number;
  /** Set once settled: how many HTTP attempts the call made. */
  attempts?: number;
  /** Set once settled: the last HTTP status, if any response arrived. */
  statusCode?: number;
  /** Set once settled: whether any attempt had an unknown outcome (always `false` for a list). */
  ambiguous?: boolean;
  /** Set once settled, on failure: the error's code (`ABORTED` when the caller's signal ended it). */
  errorCode?: string;
  /** Set by the channel: the result, or the error on the `error` channel. */
  result?: unknown;
  error?: unknown;
}

/** The context object of a `juspay-tokens:deleteToken` trace. */
export interface DeleteTokenTraceContext extends TraceContextBase {
  /** Set once settled. */
  outcome?: 'deleted' | 'already_gone' | 'failed';
}

/** The context object of a `juspay-tokens:listCards` trace. */
export interface ListCardsTraceContext extends TraceContextBase {
  /** Set once settled. */
  outcome?: 'listed' | 'failed';
  /** Set once settled, on success: how many cards the list held. */
  cardCount?: number;
}

/** What the client knows about a call when it settles. */
export interface CallProgress {
  attempts: number;
  statusCode: number | undefined;
  ambiguous: boolean;
}

type AnyTraceContext = TraceContextBase & {
  outcome?: DeleteTokenTraceContext['outcome'] | ListCardsTraceContext['outcome'];
  cardCount?: number;
};

const CHANNELS = {
  deleteToken: diagnosticsChannel.tracingChannel<string, AnyTraceContext>(TRACING_CHANNEL),
  listCards: diagnosticsChannel.tracingChannel<string, AnyTraceContext>(LIST_TRACING_CHANNEL),
} as const;

/** Whether anyone listens to `operation`'s channel: when not, calls run untraced and pay nothing. */
export function isTracing(operation: JuspayOperation): boolean {
  return CHANNELS[operation].hasSubscribers;
}

/** What a settled success adds to its trace context. */
export type TraceSuccess = Pick<AnyTraceContext, 'outcome' | 'cardCount'>;

/**
 * Runs one call as a trace: `start`/`end` around the call, then `asyncStart`/`asyncEnd`
 * (and `error` on failure) once it settles, with the outcome already in the context.
 *
 * @param describe What a result adds to the context (`outcome`, and `cardCount` for a list).
 */
export function traceCall<T>(
  operation: JuspayOperation,
  context: TraceContextBase,
  progress: CallProgress,
  run: () => Promise<T>,
  describe: (result: T) => TraceSuccess,
): Promise<T> {
  const traced = context as AnyTraceContext;
  const settle = () => {
    traced.attempts = progress.attempts;
    if (progress.statusCode !== undefined) traced.statusCode = progress.statusCode;
    traced.ambiguous = progress.ambiguous;
  };
  return CHANNELS[operation].tracePromise(async () => {
    try {
      const result = await run();
      settle();
      Object.assign(traced, describe(result));
      return result;
    } catch (err) {
      settle();
      traced.outcome = 'failed';
      traced.errorCode = err instanceof JuspayError ? err.code : 'ABORTED';
      throw err;
    }
  }, traced);
}
