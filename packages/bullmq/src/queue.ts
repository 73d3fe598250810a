/**
 * The queue merchants add erasure requests to: a BullMQ `Queue` with two methods that
 * check the request at the boundary (nothing invalid is ever queued) and add the job
 * with the options the worker relies on.
 */
import { checkDeleteTokenParams, checkListCardsParams } from '@juspay-tokens/core';
import { Queue, type Job, type JobsOptions, type QueueOptions } from 'bullmq';
import {
  cardIds,
  customerIds,
  DEFAULT_JOB_OPTIONS,
  ERASURE_QUEUE_NAME,
  JOB_NAMES,
  pairKey,
  type DeleteCardData,
  type DeleteCardParams,
  type DeleteCardResult,
  type EraseCustomerData,
  type EraseCustomerParams,
  type EraseCustomerResult,
  type ErasureJobData,
  type ErasureJobName,
  type ErasureJobResult,
} from './jobs.js';

/** `erasureQueue` options: BullMQ's `QueueOptions`, and the queue's `name`. */
export interface ErasureQueueOptions extends QueueOptions {
  /** The queue's name; default `juspay-tokens-erasure`. Give the worker the same. */
  name?: string | undefined;
}

/**
 * Job options a merchant may set on one request (`priority`, `delay`, `attempts`,
 * `backoff`, `removeOnComplete`...). The deduplication and the parent are the queue's.
 */
export type ErasureJobOptions = Omit<JobsOptions, 'deduplication' | 'parent'>;

/** A BullMQ `Queue` of erasure jobs; build one with {@link erasureQueue}. */
export class ErasureQueue extends Queue<ErasureJobData, ErasureJobResult, ErasureJobName> {
  /**
   * Adds a job that deletes one card. While a job for the same `(customerId,
   * cardReference)` pair is waiting, delayed or active, the existing job is returned and
   * nothing is added; once that job has completed or failed, a new one is added.
   * @throws {JuspayInputError} when the params break the input rules (nothing is added).
   */
  async deleteCard(
    params: DeleteCardParams,
    opts: ErasureJobOptions = {},
  ): Promise<Job<DeleteCardData, DeleteCardResult, 'deleteCard'>> {
    const invalid = checkDeleteTokenParams(params);
    if (invalid !== undefined) throw invalid;
    const data: DeleteCardData = cardIds(params);
    const job = await this.add(JOB_NAMES.deleteCard, data, {
      ...DEFAULT_JOB_OPTIONS,
      ...opts,
      deduplication: { id: pairKey(data.customerId, data.cardReference) },
    });
    return job as Job<DeleteCardData, DeleteCardResult, 'deleteCard'>;
  }

  /**
   * Adds a job that lists the customer's saved cards and then adds one `deleteCard`
   * child job per card (a BullMQ flow); it completes with an
   * {@link EraseCustomerResult} once every child has completed or failed.
   * @throws {JuspayInputError} when the params break the input rules (nothing is added).
   */
  async eraseCustomer(
    params: EraseCustomerParams,
    opts: ErasureJobOptions = {},
  ): Promise<Job<EraseCustomerData, EraseCustomerResult, 'eraseCustomer'>> {
    const invalid = checkListCardsParams(params);
    if (invalid !== undefined) throw invalid;
    const data: EraseCustomerData = { ...customerIds(params), step: 'list' };
    const job = await this.add(JOB_NAMES.eraseCustomer, data, { ...DEFAULT_JOB_OPTIONS, ...opts });
    return job as Job<EraseCustomerData, EraseCustomerResult, 'eraseCustomer'>;
  }
}

/**
 * The erasure queue: a BullMQ `Queue` named `juspay-tokens-erasure` (or `name`), with
 * `deleteCard` and `eraseCustomer`. Every other BullMQ option passes through.
 */
export function erasureQueue(options: ErasureQueueOptions): ErasureQueue {
  const { name = ERASURE_QUEUE_NAME, ...rest } = options;
  return new ErasureQueue(name, rest);
}
