/**
 * The input: a UTF-8 CSV (RFC 4180, optional BOM) streamed with csv-parse, never loaded
 * whole. Its header row must name `customer_id` and `card_reference` (`delete-cards`) or
 * `customer_id` (`erase-customers`); `routing_id` is optional; other columns are ignored.
 */
import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { checkDeleteTokenParams, checkListCardsParams, type DeleteTokenParams } from '@juspay-tokens/core';

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

/** The CSV column each of the client's param names is read from. */
const COLUMN_OF: Readonly<Record<string, string>> = {
  cardReference: 'card_reference',
  customerId: 'customer_id',
  routingId: 'routing_id',
};
const PARAM_NAMES = new RegExp(`\\b(${Object.keys(COLUMN_OF).join('|')})\\b`, 'g');

/** A message of the client's input rules, naming the CSV's columns instead of its params. */
function inColumns(message: string): string {
  return message.replace(PARAM_NAMES, (name) => COLUMN_OF[name] ?? name);
}

/**
 * Checks that `file` is a readable file before anything else is opened (no journal or
 * lock is made for a file that is not there).
 * @throws {InputError} naming the path and the fix.
 */
export function checkInput(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (err) {
    throw fileError(file, err);
  }
  if (!isFile) throw new InputError(`${file} is not a file (a folder?): name the CSV file to read`);
}

function fileError(file: string, err: unknown): InputError {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return new InputError(`${file}: no such file; check the path`);
  if (code === 'EACCES')
    return new InputError(`${file}: not readable (permission denied); check its permissions`);
  if (code === 'EISDIR')
    return new InputError(`${file} is not a file (a folder?): name the CSV file to read`);
  return new InputError(`${file}: ${(err as Error).message}. Fix the file and run the command again.`);
}

/** What a command's file must name in its header row. */
export type RequiredColumns = readonly [string, ...string[]];

const CARD_COLUMNS: RequiredColumns = ['customer_id', 'card_reference'];

function checkHeader(file: string, header: string[], required: RequiredColumns): string[] {
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    const found = header.length === 0 ? 'nothing' : header.map((h) => JSON.stringify(h)).join(', ');
    throw new InputError(
      `${file}: the header row must name ${required.join(' and ')} (missing ${missing.join(', ')}; found ${found})`,
    );
  }
  return header;
}

function cell(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  return typeof value === 'string' ? value : '';
}

/** One record of the file: where it starts, and its cells by column name. */
interface CsvRecord {
  line: number;
  cell(name: string): string;
}

/**
 * The records of the file, in order, after a header naming `required`.
 * @throws {InputError} for a missing file, a header without the required columns, or
 * a record csv-parse cannot read (with its line).
 */
async function* readRecords(file: string, required: RequiredColumns): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    columns: (header: string[]) => checkHeader(file, header, required),
    skip_empty_lines: true,
    relax_column_count: true,
    // Both line ends, mixed in one file (csv-parse otherwise keeps the first one it sees).
    record_delimiter: ['\r\n', '\n'],
    info: true,
  });
  // `.pipe()` does not pass the read stream's errors on: hand them to the parser.
  const source = createReadStream(file);
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
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
      yield { line, cell: (name) => cell(record, name) };
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fileError(file, err);
  } finally {
    source.destroy();
  }
}

/** An empty `routing_id` cell means none. */
function routingOf(record: CsvRecord): string | undefined {
  const routing = record.cell('routing_id');
  return routing === '' ? undefined : routing;
}

/**
 * The rows of a `delete-cards` file, in order.
 * @throws {InputError} as {@link readRecords} does.
 */
export async function* readRows(file: string): AsyncGenerator<InputRow> {
  for await (const record of readRecords(file, CARD_COLUMNS)) {
    yield {
      line: record.line,
      customerId: record.cell('customer_id'),
      cardReference: record.cell('card_reference'),
      routingId: routingOf(record),
    };
  }
}

/**
 * The rows of an `erase-customers` file (a header naming `customer_id`), in order; their
 * `cardReference` is empty.
 * @throws {InputError} as {@link readRecords} does.
 */
export async function* readCustomers(file: string): AsyncGenerator<InputRow> {
  for await (const record of readRecords(file, ['customer_id'])) {
    yield {
      line: record.line,
      customerId: record.cell('customer_id'),
      cardReference: '',
      routingId: routingOf(record),
    };
  }
}

/** The row as `deleteToken` params. */
export function paramsOf(row: InputRow): DeleteTokenParams {
  return { cardReference: row.cardReference, customerId: row.customerId, routingId: row.routingId };
}

/** The columns a cell that was not valid UTF-8 was found in (decoded as U+FFFD). */
function notUtf8(row: InputRow): string | undefined {
  const columns = [
    ['customer_id', row.customerId],
    ['card_reference', row.cardReference],
    ['routing_id', row.routingId ?? ''],
  ] as const;
  return columns.find(([, value]) => value.includes('\ufffd'))?.[0];
}

/**
 * What is wrong with a row by the input rules, or `undefined`, naming the CSV's
 * columns. A cell that is not valid UTF-8 breaks them: it is never sent with a
 * replacement character.
 */
export function rowProblem(row: InputRow): string | undefined {
  const column = notUtf8(row);
  if (column !== undefined) return `${column} is not valid UTF-8 (save the file as UTF-8)`;
  const problem = checkDeleteTokenParams(paramsOf(row))?.message;
  return problem === undefined ? undefined : inColumns(problem);
}

/** What is wrong with a customer row (`erase-customers`) by the input rules, or `undefined`. */
export function customerProblem(row: InputRow): string | undefined {
  const column = notUtf8(row);
  if (column !== undefined) return `${column} is not valid UTF-8 (save the file as UTF-8)`;
  const problem = checkListCardsParams({ customerId: row.customerId, routingId: row.routingId })?.message;
  return problem === undefined ? undefined : inColumns(problem);
}
