/**
 * The queue's jobs: their names, their data and return values, and the options every
 * job gets unless the merchant gives others. One place for what a job looks like, read
 * by the queue (which adds them) and the worker (which works them).
 */
import type { JobsOptions } from 'bullmq';

/** The queue's name unless `name` is given. */
export const ERASURE_QUEUE_NAME = 'juspay-tokens-erasure';

/** The job names: one card, or every card of one customer. */
export const JOB_NAMES = { deleteCard: 'deleteCard', eraseCustomer: 'eraseCustomer' } as const;

/** Every job's name. */
export type ErasureJobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

/** What `queue.deleteCard` takes: one saved card of one customer. */
export interface DeleteCardParams {
  customerId: string;
  cardReference: string;
  /** Sent as `x-routing-id`; default the `customerId`. */
  routingId?: string | undefined;
}

/** What `queue.eraseCustomer` takes: the customer whose every saved card goes. */
export interface EraseCustomerParams {
  customerId: string;
  /** Sent as `x-routing-id` on the listing and on every card's deletion; default the `customerId`. */
  routingId?: string | undefined;
}

/**
 * A `deleteCard` job's data. Besides the card, what the worker recorded between
 * attempts: that an earlier attempt's answer was lost (so the card may already be
 * gone), and that the card was deleted but `onDeleted` has not yet succeeded.
 */
export interface DeleteCardData extends DeleteCardParams {
  /** An earlier attempt may have deleted the card (a lost answer, a 5xx, a worker that died mid-call). */
  ambiguous?: boolean | undefined;
  /** The deletion done, recorded before `onDeleted` is awaited; a retry only calls `onDeleted` again. */
  deleted?: { requestId: string; alreadyGone: boolean } | undefined;
}

/** Where an `eraseCustomer` job is: listing, adding its cards' jobs, or waiting for them. */
export type EraseStep = 'list' | 'cards' | 'waiting';

/** An `eraseCustomer` job's data: the customer, and once listed, the cards found. */
export interface EraseCustomerData extends EraseCustomerParams {
  step?: EraseStep | undefined;
  /** The card references listed, in Juspay's order; one `deleteCard` child each. */
  cards?: string[] | undefined;
}

/** How a `deleteCard` job completed. */
export type DeleteCardOutcome = 'deleted' | 'already_gone' | 'invalid_request';

/** A completed `deleteCard` job's return value. */
export interface DeleteCardResult {
  outcome: DeleteCardOutcome;
  /** The `x-request-id` of the attempt that settled it. */
  requestId: string;
  /** Job attempts made, one client attempt each at most. */
  attempts: number;
}

/** A completed `eraseCustomer` job's return value: its cards and how their jobs ended. */
export interface EraseCustomerResult {
  cards: number;
  deleted: number;
  already_gone: number;
  invalid_request: number;
  failed: number;
}

/** Any job's data. */
export type ErasureJobData = DeleteCardData | EraseCustomerData;

/** Any job's return value. */
export type ErasureJobResult = DeleteCardResult | EraseCustomerResult;

/**
 * Options every job gets unless the merchant gives others: ten attempts, waits doubling
 * from one second, and failed jobs kept for inspection.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnFail: false,
} as const satisfies JobsOptions;

/** A card's ids alone, whatever else the caller's object held: what a job stores and the client takes. */
export function cardIds({ customerId, cardReference, routingId }: DeleteCardParams): DeleteCardParams {
  return routingId === undefined ? { customerId, cardReference } : { customerId, cardReference, routingId };
}

/** A customer's ids alone, whatever else the caller's object held. */
export function customerIds({ customerId, routingId }: EraseCustomerParams): EraseCustomerParams {
  return routingId === undefined ? { customerId } : { customerId, routingId };
}

/**
 * The deduplication id of a card's job: the exact pair, JSON-encoded, so two pairs never
 * share one whatever characters they hold.
 */
export function pairKey(customerId: string, cardReference: string): string {
  return JSON.stringify([customerId, cardReference]);
}
