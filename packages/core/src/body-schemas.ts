/**
 * The zod schemas of Juspay's answers: a failure body, and one card of a list. Loaded
 * only when an answer needs them (a failure, a list), through `schemas.ts`, so that
 * importing the package (and a delete that succeeds) never loads zod.
 */
import { z } from 'zod';
import type { JuspayBody, JuspayCard } from './schemas.js';

const optionalString = z.string().optional().catch(undefined);

const errorInfoSchema = z.looseObject({
  code: optionalString,
  request_id: optionalString,
  user_message: optionalString,
});

const juspayBodySchema = z.looseObject({
  status: z.unknown().optional(),
  error: z.unknown().optional(),
  error_message: optionalString,
  error_code: optionalString,
  user_message: optionalString,
  error_info: errorInfoSchema.optional().catch(undefined),
});

const text = z.string().optional().catch(undefined);
const digits = z.union([z.string(), z.number()]).optional().catch(undefined);

// Only the fields that may leave the client are named: zod drops the rest.
const juspayCardSchema = z.object({
  card_reference: z.unknown().optional(),
  card_number: text,
  card_brand: text,
  card_exp_month: digits,
  card_exp_year: digits,
  card_expiry_year: digits,
  card_type: text,
  card_issuer: text,
  nickname: text,
  expired: z.unknown().optional(),
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
