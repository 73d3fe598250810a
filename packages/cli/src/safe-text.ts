/**
 * Text from the operator's file, made safe to show: no control characters in the report
 * or on the terminal, and no cell a spreadsheet would run as a formula (OWASP's
 * CSV-injection rule: a leading `=`, `+`, `-`, `@`, tab or CR gets a leading `'`).
 */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const FORMULA_START = /^[=+\-@\t\r]/;

/** `text` without control characters (tab, LF and CR kept for {@link safeCell} to judge). */
function withoutControls(text: string): string {
  return text.replace(CONTROL, '');
}

/** A report cell: no control characters, and never read as a formula. */
export function safeCell(text: string): string {
  const cleaned = withoutControls(text);
  const flat = FORMULA_START.test(cleaned) ? `'${cleaned}` : cleaned;
  return flat.replace(/[\t\r\n]/g, ' ');
}

/** Text for the terminal or the summary: one line, no control characters. */
export function safeLine(text: string): string {
  return withoutControls(text).replace(/[\t\r\n]/g, ' ');
}
