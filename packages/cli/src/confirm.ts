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

/**
 * Asks the operator to type `count` to go on.
 * @throws {NotConfirmedError} with no terminal to ask on, or a wrong answer.
 */
export async function confirmDeletion(count: number, host: string, io: PromptIo): Promise<void> {
  if (count === 0) return;
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) {
    throw new NotConfirmedError(
      `No terminal to confirm on: pass --yes to delete ${count} saved card(s) at ${host} without asking. Nothing was sent.`,
    );
  }
  const prompt = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await prompt.question(
      `This deletes ${count} saved card(s) at ${host}. Type ${count} to go on: `,
    );
    if (answer.trim() !== String(count)) {
      throw new NotConfirmedError(
        `Not confirmed (typed "${answer.trim()}", not ${count}). Nothing was sent.`,
      );
    }
  } finally {
    prompt.close();
  }
}
