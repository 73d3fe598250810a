/**
 * The typed confirmation: on a terminal, the operator types the number of rows to go
 * on; without one, `--yes` is required.
 */
import { createInterface } from 'node:readline/promises';

/** Streams the prompt uses. */
export interface PromptIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A run that needs a confirmation it cannot get; the message names the fix. */
export class NotConfirmedError extends Error {
  override name = 'NotConfirmedError';
}

/** What a run will do, in the prompt's words (`{n}` stands for the count). */
export interface ConfirmWords {
  /** After "pass --yes to". */
  todo: string;
  /** After "This". */
  does: string;
}

/** `delete-cards`'s words. */
export const DELETE_WORDS: ConfirmWords = {
  todo: 'delete {n} saved card(s)',
  does: 'deletes {n} saved card(s)',
};

/** `erase-customers`'s words. */
export const ERASE_WORDS: ConfirmWords = {
  todo: 'erase the saved cards of {n} customer(s)',
  does: 'lists the saved cards of {n} customer(s) and deletes every one',
};

/**
 * Asks the operator to type `count` to go on.
 * @param asks What the run does, `{n}` standing for `count`.
 * @throws {NotConfirmedError} with no terminal to ask on, or a wrong answer.
 */
export async function confirmDeletion(
  count: number,
  host: string,
  io: PromptIo,
  asks: ConfirmWords = DELETE_WORDS,
): Promise<void> {
  if (count === 0) return;
  const [todo, does] = [asks.todo, asks.does].map((words) => words.replace('{n}', String(count)));
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) {
    throw new NotConfirmedError(
      `No terminal to confirm on: pass --yes to ${todo} at ${host} without asking. Nothing was sent.`,
    );
  }
  const prompt = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await prompt.question(`This ${does} at ${host}. Type ${count} to go on: `);
    if (answer.trim() !== String(count)) {
      throw new NotConfirmedError(
        `Not confirmed (typed "${answer.trim()}", not ${count}). Nothing was sent.`,
      );
    }
  } finally {
    prompt.close();
  }
}
