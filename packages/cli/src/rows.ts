/**
 * The input: a UTF-8 CSV (RFC 4180, optional BOM) streamed with csv-parse, never loaded
 * whole. Its header row must name `customer_id` and `card_reference`; `routing_id` is
 * optional; other columns are ignored.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { checkDeleteTokenParams, type DeleteTokenParams } from '@juspay-tokens/core';

/** One data row of the file. */
export interface InputRow {
  /** The line where the record starts (1 is the header). */
  line: number;
  customerId: string;
  cardReference: string;
  /** An empty cell means none: the customer id is used. */
  routingId: string | undefined;
}

/** A file the command cannot read; the message names the fix. */
export class InputError extends Error {
  override name = 'InputError';
}

const REQUIRED = ['customer_id', 'card_reference'] as const;

function checkHeader(file: string, header: string[]): string[] {
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    const found = header.length === 0 ? 'nothing' : header.map((h) => JSON.stringify(h)).join(', ');
    throw new InputError(
      `${file}: the header row must name customer_id and card_reference (missing ${missing.join(', ')}; found ${found})`,
    );
  }
  return header;
}

function cell(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The rows of the file, in order.
 * @throws {InputError} for a missing file, a header without the required columns, or
 * a record csv-parse cannot read (with its line).
 */
export async function* readRows(file: string): AsyncGenerator<InputRow> {
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      columns: (header: string[]) => checkHeader(file, header),
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  // csv-parse reports where a record ends; it starts after the previous one and the
  // empty lines skipped since.
  let previousEnd = 1;
  let previousEmpty = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, unknown>;
      info: { lines: number; empty_lines: number };
    }>) {
      const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
      previousEnd = info.lines;
      previousEmpty = info.empty_lines;
      const routing = cell(record, 'routing_id');
      yield {
        line,
        customerId: cell(record, 'customer_id'),
        cardReference: cell(record, 'card_reference'),
        routingId: routing === '' ? undefined : routing,
      };
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file`);
    if (code === 'EACCES') throw new InputError(`${file}: not readable (permission denied)`);
    throw new InputError(`${file}: ${(err as Error).message}. Fix the file and run the command again.`);
  }
}

/** The row as `deleteToken` params. */
export function paramsOf(row: InputRow): DeleteTokenParams {
  return { cardReference: row.cardReference, customerId: row.customerId, routingId: row.routingId };
}

/** What is wrong with a row by the input rules, or `undefined`. */
export function rowProblem(row: InputRow): string | undefined {
  return checkDeleteTokenParams(paramsOf(row))?.message;
}
