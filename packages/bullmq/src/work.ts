/**
 * How the worker works each job: one client attempt per job attempt (`maxRetries: 0`),
 * so BullMQ's limiter paces every attempt and BullMQ's backoff spaces the retries; what
 * a failure does is {@link failureAction}'s.
 */
import { JuspayInvalidRequestError, type DeletedCard, type JuspayClient } from '@juspay-tokens/core';
import {
  DelayedError,
  RateLimitError,
  UnrecoverableError,
  WaitingChildrenError,
  type Job,
  type Queue,
} from 'bullmq';
import { failureAction, wasAmbiguous } from './failures.js';
import {
  cardIds,
  customerIds,
  DEFAULT_JOB_OPTIONS,
  JOB_NAMES,
  type DeleteCardData,
  type DeleteCardResult,
  type EraseCustomerData,
  type EraseCustomerResult,
  type ErasureJobData,
  type ErasureJobName,
  type ErasureJobResult,
} from './jobs.js';

/** How long a job waits, delayed, after this worker's key was rejected, before any worker takes it again. */
export const AUTH_RETRY_DELAY_MS = 5_000;

/** Any erasure job. */
export type ErasureJob = Job<ErasureJobData, ErasureJobResult, ErasureJobName>;

/** What the jobs need from the worker that runs them. */
export interface WorkContext {
  client: JuspayClient;
  onDeleted: ((job: Job<DeleteCardData, DeleteCardResult>, deleted: DeletedCard) => unknown) | undefined;
  /** Pauses this worker, once, saying why. */
  pauseForKey(): void;
  /** Pauses every worker of the queue for `ms`. */
  rateLimit(ms: number): Promise<void>;
  /** The queue to add an erasure's card jobs to. */
  queue(): Queue;
}

/** Works one job of either kind. */
export function work(
  context: WorkContext,
  job: ErasureJob,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<ErasureJobResult> {
  if (job.name === JOB_NAMES.deleteCard) {
    return deleteCard(context, job as Job<DeleteCardData, DeleteCardResult>, token, signal);
  }
  if (job.name === JOB_NAMES.eraseCustomer) {
    return eraseCustomer(context, job as Job<EraseCustomerData, EraseCustomerResult>, token, signal);
  }
  throw new UnrecoverableError(`juspay-tokens: unknown job name "${String(job.name)}"`);
}

async function deleteCard(
  context: WorkContext,
  job: Job<DeleteCardData, DeleteCardResult>,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<DeleteCardResult> {
  const attempts = job.attemptsStarted;
  if (job.data.deleted !== undefined) return tellDeleted(context, job, job.data.deleted);
  // A stalled attempt's worker died, maybe mid-request: the card may be gone.
  const mayAlreadyBeGone = job.data.ambiguous === true || job.stalledCounter > 0;
  try {
    const done = await context.client.deleteToken(cardIds(job.data), {
      maxRetries: 0,
      mayAlreadyBeGone,
      signal,
    });
    const deleted = { requestId: done.requestId, alreadyGone: done.alreadyGone };
    if (context.onDeleted === undefined) return resultOf(deleted, attempts);
    await job.updateData({ ...job.data, deleted });
    return await tellDeleted(context, job, deleted);
  } catch (err) {
    if (err instanceof JuspayInvalidRequestError) {
      return { outcome: 'invalid_request', requestId: err.requestId ?? '', attempts };
    }
    if (wasAmbiguous(err) && job.data.ambiguous !== true)
      await job.updateData({ ...job.data, ambiguous: true });
    return fail(context, job, token, err);
  }
}

/** Awaits `onDeleted`; when it throws, the job is retried and only `onDeleted` runs again. */
async function tellDeleted(
  context: WorkContext,
  job: Job<DeleteCardData, DeleteCardResult>,
  deleted: NonNullable<DeleteCardData['deleted']>,
): Promise<DeleteCardResult> {
  const { customerId, cardReference } = job.data;
  await context.onDeleted?.(job, { customerId, cardReference, ...deleted });
  return resultOf(deleted, job.attemptsStarted);
}

function resultOf(deleted: NonNullable<DeleteCardData['deleted']>, attempts: number): DeleteCardResult {
  return {
    outcome: deleted.alreadyGone ? 'already_gone' : 'deleted',
    requestId: deleted.requestId,
    attempts,
  };
}

async function eraseCustomer(
  context: WorkContext,
  job: Job<EraseCustomerData, EraseCustomerResult>,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<EraseCustomerResult> {
  let data = job.data;
  if (data.step === undefined || data.step === 'list' || data.cards === undefined) {
    const cards = await listCards(context, job, token, signal);
    if (cards.length === 0) return summaryOf(0, {}, {});
    data = { ...data, step: 'cards', cards };
    await job.updateData(data);
  }
  if (data.step === 'cards') {
    await addCardJobs(context, job, data.cards ?? []);
    data = { ...data, step: 'waiting' };
    await job.updateData(data);
  }
  if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
  const [values, failures] = await Promise.all([
    job.getChildrenValues<DeleteCardResult>(),
    job.getIgnoredChildrenFailures(),
  ]);
  return summaryOf(data.cards?.length ?? 0, values, failures);
}

/** The customer's card references, each once; an unknown customer has none. */
async function listCards(
  context: WorkContext,
  job: Job<EraseCustomerData, EraseCustomerResult>,
  token: string | undefined,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  try {
    const listed = await context.client.listCards(customerIds(job.data), { maxRetries: 0, signal });
    return [...new Set(listed.cards.map((card) => card.cardReference))];
  } catch (err) {
    if (err instanceof JuspayInvalidRequestError) return [];
    return fail(context, job, token, err);
  }
}

/**
 * One `deleteCard` child per card, each with an id made of the parent's and the card's
 * place in the listing, so adding them again after a crash adds nothing twice.
 */
async function addCardJobs(
  context: WorkContext,
  job: Job<EraseCustomerData, EraseCustomerResult>,
  cards: string[],
): Promise<void> {
  const { customerId, routingId } = job.data;
  const parent = { id: job.id as string, queue: job.queueQualifiedName };
  await context.queue().addBulk(
    cards.map((cardReference, index) => ({
      name: JOB_NAMES.deleteCard,
      data: cardIds({ customerId, cardReference, routingId }),
      opts: {
        ...DEFAULT_JOB_OPTIONS,
        jobId: `${parent.id}-card-${index}`,
        parent,
        ignoreDependencyOnFailure: true,
      },
    })),
  );
}

function summaryOf(
  cards: number,
  values: Record<string, DeleteCardResult>,
  failures: Record<string, string>,
): EraseCustomerResult {
  const summary: EraseCustomerResult = { cards, deleted: 0, already_gone: 0, invalid_request: 0, failed: 0 };
  for (const value of Object.values(values)) summary[value.outcome] += 1;
  summary.failed = Object.keys(failures).length;
  return summary;
}

/** Carries out {@link failureAction}'s verdict; always throws, as BullMQ expects. */
async function fail(
  context: WorkContext,
  job: Pick<Job, 'moveToDelayed'>,
  token: string | undefined,
  err: unknown,
): Promise<never> {
  const action = failureAction(err);
  switch (action.kind) {
    case 'pause-worker':
      context.pauseForKey();
      await job.moveToDelayed(Date.now() + AUTH_RETRY_DELAY_MS, token);
      throw new DelayedError();
    case 'pause-queue':
      await context.rateLimit(action.ms);
      throw new RateLimitError();
    case 'give-up':
      throw new UnrecoverableError(action.reason);
    case 'retry':
      throw err;
  }
}
