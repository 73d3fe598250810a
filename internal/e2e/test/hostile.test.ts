// A hostile page on another origin, in the shopper's own signed-in browser, tries every
// way a page can send a POST without CORS: forms (text/plain shaped as JSON,
// urlencoded) and fetch with mode: 'no-cors', against the delete route, remove-all,
// sign-in and sign-out. No card may disappear, and the shopper stays signed in. It also
// tries to read the list route: a no-cors fetch gets an opaque answer, and a
// <script src> inclusion (with a JSON-hijacking setter in place) runs nothing.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, listen, SHOPS } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The attacker's page: every attempt at once, into hidden frames, then a marker. */
function hostilePage(target: string): string {
  const forms = [
    ['/juspay/cards/delete', 'text/plain', '{"card_reference":"card_ref_visa_4242","x":"', '"}'],
    ['/api/cards/remove-all', 'application/x-www-form-urlencoded', 'card_references', 'card_ref_visa_4242'],
    ['/logout', 'application/x-www-form-urlencoded', 'x', 'y'],
    ['/login', 'application/x-www-form-urlencoded', 'x', 'y'],
  ]
    .map(
      ([path, type, name, value], i) =>
        `<iframe name="f${i}" hidden></iframe><form id="form${i}" target="f${i}" method="POST" enctype="${type}" action="${target}${path}"><input name='${name}' value='${value}'></form>`,
    )
    .join('\n');
  return `<!doctype html><html><body>${forms}
<script>
  // One after another: Chromium may drop a form submitted while another is starting.
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  (async () => {
    for (let i = 0; i < 4; i++) {
      document.getElementById('form' + i).submit();
      await wait(150);
    }
    const paths = ['/juspay/cards/delete', '/api/cards/remove-all', '/logout', '/login'];
    await Promise.allSettled(paths.map((path) => fetch('${target}' + path, {
      method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ card_reference: 'card_ref_mastercard_5454' }),
    })));
    // Reading the shopper's cards: an opaque answer, and a script that runs nothing.
    const listed = await fetch('${target}/juspay/cards', { mode: 'no-cors', credentials: 'include' })
      .then((res) => res.type + ':' + res.status, () => 'failed');
    Object.defineProperty(Object.prototype, 'cards', { set(value) { window.stolen = value; }, configurable: true });
    const included = await new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = '${target}/juspay/cards';
      script.onload = () => resolve('loaded');
      script.onerror = () => resolve('error');
      document.body.append(script);
    });
    await wait(300);
    document.title = 'done ' + JSON.stringify({ listed, included, stolen: window.stolen !== undefined });
  })();
</script></body></html>`;
}

for (const [name, start] of Object.entries(SHOPS)) {
  describe(`${name} example against a hostile page`, () => {
    it.each([
      ['another port of the same host', '127.0.0.1'],
      ['localhost against 127.0.0.1', 'localhost'],
    ])('refuses every forged request from %s', async (_label, hostileHost) => {
      const shop = await start();
      const target = `http://127.0.0.1:${shop.port}`;
      const hostile = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(hostilePage(target));
      });
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await page.goto(target);
        await page.getByRole('button', { name: 'Sign in as the demo shopper' }).click();
        await page.getByText('Signed in as').waitFor();

        await page.locator('#cards li').first().waitFor();
        const listedBefore = shop.answered.filter((a) => a.path === '/juspay/cards').length;
        const attack = await context.newPage();
        await attack.goto(`http://${hostileHost}:${hostile.port}/`);
        await expect.poll(() => attack.title(), { timeout: 10_000 }).toMatch(/^done /);
        const read = JSON.parse((await attack.title()).slice('done '.length)) as Record<string, unknown>;
        // The browser shows the attacker nothing of the answer, and no card reached its script.
        expect(read.listed).toMatch(/^(opaque:0|failed)$/);
        expect(read.stolen).toBe(false);
        expect(['loaded', 'error']).toContain(read.included);
        const listedByAttacker = () =>
          shop.answered.filter((a) => a.path === '/juspay/cards').slice(listedBefore);
        await expect.poll(() => listedByAttacker().length, { timeout: 5_000 }).toBe(2);
        // From another site (localhost against 127.0.0.1) the list is not even called.
        if (hostileHost === 'localhost') {
          await expect
            .poll(() => listedByAttacker().map((a) => a.status), { timeout: 5_000 })
            .toEqual([403, 403]);
        }

        // Every forged request reached the shop, and was refused there.
        const isForged = (a: { origin: string | undefined }) => a.origin !== undefined && a.origin !== target;
        await expect.poll(() => shop.answered.filter(isForged).length, { timeout: 5_000 }).toBe(8);
        const forged = shop.answered.filter(isForged);
        expect(forged.filter((a) => a.status < 400 && a.status !== 0)).toEqual([]);
        expect(shop.fake?.cards('demo_customer').sort()).toEqual([
          'card_ref_mastercard_5454',
          'card_ref_rupay_6521',
          'card_ref_visa_4242',
        ]);
        await page.reload();
        await page.getByText('Signed in as').waitFor();
        await expect.poll(() => page.locator('#cards .card-name').count(), { timeout: 10_000 }).toBe(3);
      } finally {
        await context.close();
        hostile.server.closeAllConnections();
        await new Promise((resolve) => hostile.server.close(resolve));
        await shop.close();
      }
    });
  });
}
