/**
 * The worker: a BullMQ `Worker` whose processor is {@link work}, paced by BullMQ's
 * global limiter (one budget for every worker of the queue), with the client it was
 * given or one it builds and closes.
 */
import { JuspayClient, type DeletedCard, type JuspayClientOptions } from '@juspay-tokens/core';
import { Queue, Worker, type Job, type QueueOptions, type WorkerOptions } from 'bullmq';
import {
  ERASURE_QUEUE_NAME,
  type DeleteCardData,
  type DeleteCardResult,
  type ErasureJobData,
  type ErasureJobName,
  type ErasureJobResult,
} from './jobs.js';
import { work, type WorkContext } from './work.js';

/** One budget for every worker of the queue: at most `max` job starts per `duration` ms. */
export interface ErasureRate {
  max: number;
  duration: number;
}

/** The rate unless `rate` is given: 20 attempts a second, as the CLI's default. */
export const DEFAULT_RATE: ErasureRate = { max: 20, duration: 1000 };

/**
 * `erasureWorker` options. Every BullMQ `WorkerOptions` (`lockDuration`,
 * `stalledInterval`, `autorun`, `prefix`...) passes through to the `Worker`, but its
 * `limiter`, which is `rate`.
 */
export interface ErasureWorkerOptions extends Omit<WorkerOptions, 'limiter'> {
  /** The queue's name; default `juspay-tokens-erasure`, as `erasureQueue`'s. */
  name?: string | undefined;
  /** The client to call Juspay with (the merchant closes it); or give `clientOptions`. */
  client?: JuspayClient | undefined;
  /** Options for a client the worker builds and closes with itself; or give `client`. */
  clientOptions?: JuspayClientOptions | undefined;
  /** One budget for every worker of the queue (BullMQ's global limiter); default 20 a second. */
  rate?: ErasureRate | undefined;
  /**
   * Awaited after each card's deletion (`alreadyGone` included), like the route's
   * `onDeleted`. When it throws or rejects, the job is retried with BullMQ's backoff and
   * only `onDeleted` runs again: the card is not sent twice.
   */
  onDeleted?: ((job: Job<DeleteCardData, DeleteCardResult>, deleted: DeletedCard) => unknown) | undefined;
}

/** A BullMQ `Worker` of erasure jobs; build one with {@link erasureWorker}. */
export class ErasureWorker extends Worker<ErasureJobData, ErasureJobResult, ErasureJobName> {
  readonly #release: () => Promise<void>;

  /** @internal Use {@link erasureWorker}. */
  constructor(
    name: string,
    context: WorkContext & { worker?: ErasureWorker },
    opts: WorkerOptions,
    release: () => Promise<void>,
  ) {
    super(name, (job, token, signal) => work(context, job, token, signal), opts);
    context.worker = this;
    this.#release = release;
  }

  /** Closes the worker as BullMQ does, then the queue it adds card jobs with and a client it built. */
  override async close(force?: boolean): Promise<void> {
    await super.close(force);
    await this.#release();
  }
}

/**
 * Builds the erasure worker: it works `deleteCard` and `eraseCustomer` jobs of the queue
 * `juspay-tokens-erasure` (or `name`), one client attempt per job attempt, paced by
 * `rate` across every worker of the queue.
 * @throws {TypeError} when neither or both of `client` and `clientOptions` are given,
 *   `rate` is not two whole numbers from 1, or `clientOptions` are invalid.
 */
export function erasureWorker(options: ErasureWorkerOptions): ErasureWorker {
  const {
    name = ERASURE_QUEUE_NAME,
    client,
    clientOptions,
    rate = DEFAULT_RATE,
    onDeleted,
    ...workerOptions
  } = options;
  checkRate(rate);
  const { juspay, owned } = clientFrom(client, clientOptions);
  let queue: Queue | undefined;
  let paused = false;
  const context: WorkContext & { worker?: ErasureWorker } = {
    client: juspay,
    onDeleted,
    queue: () => (queue ??= new Queue(name, queueOptionsOf(workerOptions))),
    rateLimit: (ms) => (context.worker as ErasureWorker).rateLimit(ms),
    pauseForKey: () => {
      if (paused) return;
      paused = true;
      sayPaused(context.worker as ErasureWorker);
    },
  };
  const release = async () => {
    await queue?.close();
    await owned?.close();
  };
  return new ErasureWorker(
    name,
    context,
    { ...workerOptions, limiter: { max: rate.max, duration: rate.duration } },
    release,
  );
}

/** The client to call with, and whether the worker built it (and so closes it). */
function clientFrom(
  client: JuspayClient | undefined,
  clientOptions: JuspayClientOptions | undefined,
): { juspay: JuspayClient; owned: JuspayClient | undefined } {
  if ((client === undefined) === (clientOptions === undefined)) {
    throw new TypeError('erasureWorker: give exactly one of client and clientOptions');
  }
  if (client !== undefined && !(client instanceof JuspayClient)) {
    throw new TypeError('erasureWorker: client must be a JuspayClient');
  }
  if (client !== undefined) return { juspay: client, owned: undefined };
  const built = new JuspayClient(clientOptions as JuspayClientOptions);
  return { juspay: built, owned: built };
}

function checkRate(rate: ErasureRate): void {
  const whole = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
  if (typeof rate !== 'object' || rate === null || !whole(rate.max) || !whole(rate.duration)) {
    throw new TypeError(
      'erasureWorker: rate must be { max, duration }, each a whole number from 1 (duration in ms)',
    );
  }
}

/** What the card jobs' queue shares with the worker: where Redis is and the key prefix. */
function queueOptionsOf(options: Omit<WorkerOptions, 'limiter'>): QueueOptions {
  return {
    connection: options.connection,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  };
}

const PAUSED_MESSAGE =
  'juspay-tokens: Juspay rejected the API key (AUTHENTICATION_FAILED); this erasure worker paused, and its jobs wait for a worker with a good key. Fix the key and start a worker.';

/** Says that the worker paused on a rejected key: a process warning, and its `error` event when listened to. */
function sayPaused(worker: ErasureWorker): void {
  // Not awaited (the job that saw the rejection is still active), never left unhandled.
  worker.pause(true).catch(() => {});
  process.emitWarning(PAUSED_MESSAGE, { code: 'JUSPAY_TOKENS_WORKER_PAUSED' });
  if (worker.listenerCount('error') > 0) worker.emit('error', new Error(PAUSED_MESSAGE));
}
