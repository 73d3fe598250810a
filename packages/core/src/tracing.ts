/**
 * Tracing through `node:diagnostics_channel`: every `deleteToken` call is one trace on
 * the TracingChannel `juspay-tokens:deleteToken`, covering all its attempts, the way
 * mysql2, ioredis and node-redis publish theirs. With no subscriber nothing is built.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { JuspayError } from './errors.js';

/** The name of the TracingChannel every call is published on. */
export const TRACING_CHANNEL = 'juspay-tokens:deleteToken';

/**
 * The context object of a `juspay-tokens:deleteToken` trace. It never holds the API
 * key, the card reference, the customer id or the routing id.
 */
export interface DeleteTokenTraceContext {
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
  /** Set once settled. */
  outcome?: 'deleted' | 'already_gone' | 'failed';
  /** Set once settled: whether any attempt had an unknown outcome. */
  ambiguous?: boolean;
  /** Set once settled, on failure: the error's code (`ABORTED` when the caller's signal ended it). */
  errorCode?: string;
  /** Set by the channel: the result, or the error on the `error` channel. */
  result?: unknown;
  error?: unknown;
}

/** What the client knows about a call when it settles. */
export interface CallProgress {
  attempts: number;
  statusCode: number | undefined;
  ambiguous: boolean;
}

const channel = diagnosticsChannel.tracingChannel<string, DeleteTokenTraceContext>(TRACING_CHANNEL);

/** Whether anyone listens: when not, calls run untraced and pay nothing. */
export function isTracing(): boolean {
  return channel.hasSubscribers;
}

function settle(context: DeleteTokenTraceContext, progress: CallProgress): void {
  context.attempts = progress.attempts;
  if (progress.statusCode !== undefined) context.statusCode = progress.statusCode;
  context.ambiguous = progress.ambiguous;
}

/**
 * Runs one call as a trace: `start`/`end` around the call, then `asyncStart`/`asyncEnd`
 * (and `error` on failure) once it settles, with the outcome already in the context.
 */
export function traceCall<T extends { alreadyGone: boolean }>(
  context: DeleteTokenTraceContext,
  progress: CallProgress,
  run: () => Promise<T>,
): Promise<T> {
  return channel.tracePromise(async () => {
    try {
      const result = await run();
      settle(context, progress);
      context.outcome = result.alreadyGone ? 'already_gone' : 'deleted';
      return result;
    } catch (err) {
      settle(context, progress);
      context.outcome = 'failed';
      context.errorCode = err instanceof JuspayError ? err.code : 'ABORTED';
      throw err;
    }
  }, context);
}
