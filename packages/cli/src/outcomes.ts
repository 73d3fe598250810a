/**
 * The outcome names, spelled once: what a row can end as, which of them finish a row
 * (a rerun skips it), and which make the exit code 2. The journal, its index, the
 * tally, the report and the summary all take them from here.
 */

/** Every outcome a row can be recorded with, in a fixed order (the journal index stores the position). */
export const OUTCOMES = [
  'deleted',
  'already_gone',
  'invalid_request',
  'invalid_input',
  'duplicate',
  'failed',
  // A customer's, in erase-customers: its listing was empty, or failed.
  'no_cards',
  'list_failed',
] as const;

/** How a row ended. */
export type Outcome = (typeof OUTCOMES)[number];

/** The outcomes only a customer row of `erase-customers` ends with. */
export const CUSTOMER_OUTCOMES: ReadonlySet<Outcome> = new Set(['no_cards', 'list_failed']);

/** The report's outcome for a row a stopped run never reached (the resume sends it). */
export const NOT_RUN = 'not_run';

/** Outcomes that finish a row: a rerun skips it. `failed` rows are tried again. */
export const FINISHED: ReadonlySet<Outcome> = new Set([
  'deleted',
  'already_gone',
  'invalid_request',
  'invalid_input',
  'duplicate',
  'no_cards',
]);

/** Outcomes that make the exit code 2, in this run or an earlier one. */
export const NEEDS_ATTENTION: ReadonlySet<Outcome> = new Set([
  'invalid_input',
  'invalid_request',
  'failed',
  'list_failed',
]);

/** Whether `name` is one of {@link OUTCOMES} (a journal line is read as untrusted text). */
export function isOutcome(name: unknown): name is Outcome {
  return typeof name === 'string' && (OUTCOMES as readonly string[]).includes(name);
}

/** What the journal says of a row's outcome. */
export interface OutcomeRecord {
  outcome: Outcome;
  code: string | undefined;
  requestId: string | undefined;
  attempts: number;
  /** For `failed`: an attempt may have reached Juspay, so the card may be gone. */
  ambiguous?: boolean | undefined;
  /** The short reason: the input rule broken, or the error's message. */
  reason?: string | undefined;
}
