/**
 * Text taken from an upstream answer, made safe to show and to log: no control
 * characters (so no forged log lines or terminal escapes), trimmed, and cut to a number
 * of code points (never half a surrogate pair).
 */

// ANSI escape sequences first (so no "[31m" is left behind), then any other control.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
// What makes cleaning change a text: a control character, or white space at either end.
const NEEDS_CLEANING = /[\u0000-\u001f\u007f-\u009f]|^\s|\s$/;

/**
 * The text cleaned and cut to `max` code points; `undefined` for no text or nothing
 * left once cleaned.
 */
export function cleanText(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text === '') return undefined;
  // The usual field (a brand, a nickname): short and clean already, kept as it is.
  if (text.length <= max && !NEEDS_CLEANING.test(text)) return text;
  const clean = text.replace(ANSI_SEQUENCE, '').replace(CONTROL, ' ').trim();
  if (clean === '') return undefined;
  // A string of at most `max` UTF-16 units has at most `max` code points: skip the split.
  if (clean.length <= max) return clean;
  return Array.from(clean).slice(0, max).join('');
}
