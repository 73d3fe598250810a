/**
 * `@juspay-tokens/bullmq`: durable erasure of Juspay saved cards on BullMQ. Erasure
 * requests become jobs (`eraseCustomer` lists a customer's cards and adds one
 * `deleteCard` job per card), worked by any number of processes on any number of
 * machines under one rate budget, and finished even when Juspay or a server is down.
 *
 * @packageDocumentation
 */
export { erasureQueue, ErasureQueue, type ErasureJobOptions, type ErasureQueueOptions } from './queue.js';
export {
  DEFAULT_RATE,
  erasureWorker,
  ErasureWorker,
  type ErasureRate,
  type ErasureWorkerOptions,
} from './worker.js';
export { AUTH_RETRY_DELAY_MS } from './work.js';
export {
  DEFAULT_JOB_OPTIONS,
  ERASURE_QUEUE_NAME,
  JOB_NAMES,
  type DeleteCardData,
  type DeleteCardOutcome,
  type DeleteCardParams,
  type DeleteCardResult,
  type EraseCustomerData,
  type EraseCustomerParams,
  type EraseCustomerResult,
  type EraseStep,
  type ErasureJobData,
  type ErasureJobName,
  type ErasureJobResult,
} from './jobs.js';
