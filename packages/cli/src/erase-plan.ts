/**
 * What `erase-customers` will do with each customer row, decided the same way in the
 * planning pass and in the run: breaking the input rules, a repeat of an earlier
 * customer, finished by an earlier run (every card of its last listing reached a final
 * outcome), or to list (again).
 */
import type { Journal } from './journal.js';
import { FINISHED, type OutcomeRecord } from './outcomes.js';
import { PairTable } from './pair-table.js';
import { customerProblem, readCustomers, type InputRow } from './rows.js';
import { countPlan, type Plan } from './plan.js';

/** A card an earlier run's listing found, with what the journal holds for it. */
export interface EarlierCard {
  cardReference: string;
  /** Its recorded outcome, when one was. */
  outcome: OutcomeRecord | undefined;
  /** A call went out for it and may have deleted the card. */
  mayBeGone: boolean;
}

export type CustomerPlan =
  | { kind: 'invalid_input'; problem: string }
  | { kind: 'duplicate' }
  /** Finished earlier: the report rows come from the journal (one `no_cards` row when it had none). */
  | { kind: 'skip'; cards: EarlierCard[]; customer: OutcomeRecord | undefined }
  /** To list: `earlier` holds the cards of a listing a stopped run did not finish. */
  | { kind: 'list'; earlier: EarlierCard[] };

/** The card row of `customer` for `cardReference`: the line and routing of its customer row. */
export function cardRow(customer: InputRow, cardReference: string): InputRow {
  return { ...customer, cardReference };
}

/** Decides customer rows in file order; remembers the customers seen so far. */
export class CustomerPlanner {
  readonly #seen = new PairTable();
  constructor(private readonly journal: Journal) {}

  /** A customer row's plan. */
  plan(row: InputRow): CustomerPlan {
    const problem = customerProblem(row);
    if (problem !== undefined) return { kind: 'invalid_input', problem };
    if (!this.#seen.add(row.customerId, '')) return { kind: 'duplicate' };
    const listing = this.journal.listing(row.customerId);
    if (listing === undefined) return { kind: 'list', earlier: [] };
    const cards = listing.map((cardReference): EarlierCard => {
      const earlier = this.journal.earlier(cardRow(row, cardReference));
      return { cardReference, outcome: earlier.outcome, mayBeGone: earlier.mayBeGone };
    });
    const customer = this.journal.earlier(row).outcome;
    const allFinished = cards.every(
      (card) => card.outcome !== undefined && FINISHED.has(card.outcome.outcome),
    );
    // An empty listing finished the customer only once its no_cards was recorded.
    const finished = cards.length > 0 ? allFinished : customer?.outcome === 'no_cards';
    return finished ? { kind: 'skip', cards, customer } : { kind: 'list', earlier: cards };
  }
}

/** Reads the whole customer file once, sending nothing: its counts (`toSend`: customers to list). */
export function planErase(file: string, journal: Journal): Promise<Plan> {
  const planner = new CustomerPlanner(journal);
  return countPlan(readCustomers(file), (row) => planner.plan(row), journal);
}
