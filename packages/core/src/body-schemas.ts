/**
 * The zod schemas of Juspay's answers: a failure body, and one card of a list. Loaded
 * only when an answer needs them (a failure, a list), through `schemas.ts`, so that
 * importing the package (and a delete that succeeds) never loads zod.
 */
// zod/mini by name: the same parsing, and a bundle that keeps only what these schemas
// use (the edge build's size: the `z` namespace, or the classic API, keeps all of zod).
import { catch as fallback, looseObject, number, object, optional, string, union, unknown } from 'zod/mini';
import type { JuspayBody, JuspayCard } from './schemas.js';

const optionalString = fallback(optional(string()), undefined);

const errorInfoSchema = looseObject({
  code: optionalString,
  request_id: optionalString,
  user_message: optionalString,
});

const juspayBodySchema = looseObject({
  status: optional(unknown()),
  error: optional(unknown()),
  error_message: optionalString,
  error_code: optionalString,
  user_message: optionalString,
  error_info: fallback(optional(errorInfoSchema), undefined),
});

const text = fallback(optional(string()), undefined);
const digits = fallback(optional(union([string(), number()])), undefined);

// Only the fields that may leave the client are named: zod drops the rest.
const juspayCardSchema = object({
  card_reference: optional(unknown()),
  card_number: text,
  card_brand: text,
  card_exp_month: digits,
  card_exp_year: digits,
  card_expiry_year: digits,
  card_type: text,
  card_issuer: text,
  nickname: text,
  expired: optional(unknown()),
});

/** A body as Juspay's failure fields read, or `undefined` when it is no object. */
export function parseJuspayBody(json: unknown): JuspayBody | undefined {
  const parsed = juspayBodySchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** One list entry's fields that may leave the client, or `undefined` when it is no object. */
export function parseJuspayCard(entry: unknown): JuspayCard | undefined {
  const parsed = juspayCardSchema.safeParse(entry);
  return parsed.success ? parsed.data : undefined;
}
