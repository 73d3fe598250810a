/**
 * Keeping the API key out of errors: an upstream or a proxy may echo what we sent, in
 * whatever encoding it likes. Everything taken from an answer into an error passes
 * through a {@link Redactor} first.
 */

/** What a secret is replaced with. */
export const REDACTED = '[REDACTED]';

// Escapes under which an echo could hide: JSON (\u0073, \/), URL (%73), HTML (&#115;).
const MAY_BE_ESCAPED = /[\\%&]/;

function decodeEscapes(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(.)/g, '$1')
    .replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&#x([0-9a-fA-F]{1,6});?/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d{1,7});?/g, (_, dec: string) => String.fromCodePoint(Number(dec)));
}

function base64url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The HTTP Basic credential of an API key (printable ASCII, checked by the options), as sent. */
export function basicCredential(apiKey: string): string {
  return btoa(`${apiKey}:`);
}

/**
 * Removes one API key, and its encodings, from text and parsed JSON taken from an
 * upstream answer. It holds the key in a private field and never shows it.
 */
export class Redactor {
  readonly #secrets: readonly string[];

  constructor(apiKey: string) {
    const credential = basicCredential(apiKey);
    // base64(key) and base64(key + ':') share their first whole 3-byte groups: that
    // prefix catches the key encoded with or without the colon.
    const shared = credential.slice(0, Math.floor(apiKey.length / 3) * 4);
    const secrets = new Set([apiKey, credential, base64url(credential)]);
    if (shared.length >= 8) secrets.add(shared).add(base64url(shared));
    // Longest first, so a shorter secret never splits a longer one's match.
    this.#secrets = [...secrets].sort((a, b) => b.length - a.length);
  }

  /**
   * The text with every echo of the key replaced by `[REDACTED]`. Text that still holds
   * the key once its escapes are decoded cannot be cleaned in place: it is replaced whole.
   */
  text(value: string): string {
    let out = value;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    if (MAY_BE_ESCAPED.test(out)) {
      const decoded = decodeEscapes(out);
      if (this.#secrets.some((secret) => decoded.includes(secret))) return REDACTED;
    }
    return out;
  }

  /** Parses JSON with every string (keys included) passed through {@link Redactor.text}; `undefined` if not JSON. */
  json(text: string): unknown {
    try {
      return JSON.parse(text, (_key, value: unknown) => this.#revive(value)) as unknown;
    } catch {
      return undefined;
    }
  }

  #revive(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const clean = this.text(key);
        if (clean === key) continue;
        record[clean] = record[key];
        delete record[key];
      }
    }
    return value;
  }

  /** @internal Never shows the key. */
  toJSON(): string {
    return 'Redactor';
  }
}
