/**
 * Loads the answer schemas (and with them zod) on first need, and gives them to the
 * classifier synchronously afterwards. The client awaits {@link loadBodySchemas} before
 * it classifies an answer that needs them; nothing else does.
 */
import type * as BodySchemas from './body-schemas.js';

/** Juspay's failure fields, as far as the classifier reads them. */
export interface JuspayBody {
  [field: string]: unknown;
  status?: unknown;
  error?: unknown;
  error_message?: string | undefined;
  error_code?: string | undefined;
  user_message?: string | undefined;
  error_info?:
    | {
        [field: string]: unknown;
        code?: string | undefined;
        request_id?: string | undefined;
        user_message?: string | undefined;
      }
    | undefined;
}

/** The fields of a list entry that may leave the client. */
export interface JuspayCard {
  card_reference?: unknown;
  card_number?: string | undefined;
  card_brand?: string | undefined;
  card_exp_month?: string | number | undefined;
  card_exp_year?: string | number | undefined;
  card_expiry_year?: string | number | undefined;
  card_type?: string | undefined;
  card_issuer?: string | undefined;
  nickname?: string | undefined;
  expired?: unknown;
}

let loaded: typeof BodySchemas | undefined;
let loading: Promise<void> | undefined;

/** Loads the schemas once; `undefined` when they already are (so the hot path awaits nothing). */
export function loadBodySchemas(): Promise<void> | undefined {
  if (loaded !== undefined) return undefined;
  loading ??= import('./body-schemas.js').then((schemas) => {
    loaded = schemas;
  });
  return loading;
}

/** Whether {@link loadBodySchemas} has settled. */
export function schemasLoaded(): boolean {
  return loaded !== undefined;
}

/** The schemas, once {@link loadBodySchemas} has settled. */
export function bodySchemas(): typeof BodySchemas {
  if (loaded === undefined)
    throw new Error('@juspay-tokens/core: answer schemas used before they were loaded');
  return loaded;
}
