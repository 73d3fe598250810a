import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shop's page and its two assets, with the headers they are served with. The
 * Content-Security-Policy allows scripts and styles from the shop's own origin only (no
 * inline script, no eval), so even a value rendered wrongly could not run: a second wall
 * behind the page setting every server value as text.
 */
export const PAGE_HEADERS = Object.freeze({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
});

// A path, not `new URL(\`../public/${name}\`, import.meta.url)`: a bundler (Next.js's
// Turbopack) reads that pattern as one asset reference and serves one file for all three.
const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const read = (name) => readFileSync(join(PUBLIC, name));

/** @type {Readonly<Record<string, { type: string, body: Buffer }>>} */
const ASSETS = Object.freeze({
  '/': { type: 'text/html; charset=utf-8', body: read('index.html') },
  '/app.js': { type: 'text/javascript; charset=utf-8', body: read('app.js') },
  '/app.css': { type: 'text/css; charset=utf-8', body: read('app.css') },
});

/** The paths the page is served on. */
export const PAGE_PATHS = Object.freeze(Object.keys(ASSETS));

/**
 * The page or asset at `path`, with its headers, or `undefined`.
 * @param {string} path
 */
export function pageAsset(path) {
  const asset = ASSETS[path];
  return asset && { body: asset.body, headers: { ...PAGE_HEADERS, 'content-type': asset.type } };
}
