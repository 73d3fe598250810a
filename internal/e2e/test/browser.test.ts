/// <reference lib="dom" />
// Both example shops in a real Chromium, as a shopper uses them: sign in, the cards Juspay
// lists as a shopper knows them (brand, last four, nickname, expiry, an Expired badge),
// delete, a double click, a second tab, remove-all with its confirmation, sign out, a
// nickname that is markup shown as text, 320 px wide, and not one console error. Every
// check waits for the state it expects: CI runs on a loaded two-core machine.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOPS, type RunningShop } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A page that records every console error and uncaught exception. */
async function openPage(url: string, width = 1024): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

async function signIn(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign in as the demo shopper' }).click();
  await page.getByText('Signed in as').waitFor();
}

const cardNames = (page: Page) => page.locator('#cards .card-name').allTextContents();

for (const [name, start] of Object.entries(SHOPS)) {
  describe(`${name} example in Chromium`, () => {
    let shop: RunningShop;
    beforeAll(async () => {
      shop = await start();
    });
    afterAll(async () => {
      await shop?.close();
    });

    it('signs in, shows cards as brand and last four, deletes one, survives a double click, removes all, signs out', async () => {
      const { page, errors } = await openPage(shop.url);
      await signIn(page);
      await expect
        .poll(() => cardNames(page))
        .toEqual(['Mastercard •••• 5454', 'RuPay •••• 6521', 'Visa •••• 4242']);
      const list = await page.locator('#cards').innerText();
      expect(list).toContain('expires 08/28');
      expect(list).toContain('Work card');
      expect(await page.locator('#cards li').nth(1).locator('.badge').innerText()).toBe('Expired');
      expect(await page.locator('#cards .badge').count()).toBe(1);
      expect(await page.locator('body').innerText()).not.toContain('card_ref_');

      // A slow list (as on a loaded machine): the page must refresh it before it announces
      // the result, so that what a screen reader hears matches what the page shows.
      shop.fake?.failWhen((request) => (request.method === 'GET' ? { delayMs: 400 } : undefined));
      await page.getByRole('button', { name: /Delete Visa ending in 4242/ }).click();
      await expect.poll(() => page.locator('#message').innerText()).toBe('The card was removed.');
      expect(await cardNames(page)).toEqual(['Mastercard •••• 5454', 'RuPay •••• 6521']);
      shop.fake?.failWhen(undefined);
      expect(shop.fake?.cards('demo_customer')).not.toContain('card_ref_visa_4242');

      // A double click: the button is disabled by the first, so one request, no false error.
      await page.getByRole('button', { name: /Delete RuPay ending in 6521/ }).dblclick();
      await expect.poll(() => cardNames(page)).toEqual(['Mastercard •••• 5454']);
      expect(await page.locator('#message').getAttribute('class')).toBe('ok');

      // Remove-all asks first; dismissing it removes nothing.
      page.once('dialog', (dialog) => void dialog.dismiss());
      await page.getByRole('button', { name: 'Remove all my saved cards' }).click();
      await expect
        .poll(() => page.getByRole('button', { name: 'Remove all my saved cards' }).isEnabled())
        .toBe(true);
      expect(await cardNames(page)).toEqual(['Mastercard •••• 5454']);
      expect(shop.fake?.cards('demo_customer')).toEqual(['card_ref_mastercard_5454']);
      page.once('dialog', (dialog) => {
        expect(dialog.message()).toMatch(/Remove all 1 saved card\(s\)\?/);
        void dialog.accept();
      });
      await page.getByRole('button', { name: 'Remove all my saved cards' }).click();
      await expect.poll(() => page.locator('#message').innerText()).toBe('Removed 1 card(s).');
      await expect.poll(() => page.getByText('You have no saved cards.').isVisible()).toBe(true);
      expect(shop.fake?.cards('demo_customer')).toEqual([]);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect
        .poll(() => page.getByRole('button', { name: 'Sign in as the demo shopper' }).isVisible())
        .toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('tells the truth in a second tab: a card removed elsewhere is "already removed", not a failure', async () => {
      await shop.close();
      shop = await start();
      const context = await browser.newContext();
      const errors: string[] = [];
      const open = async () => {
        const page = await context.newPage();
        page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(shop.url);
        return page;
      };
      const first = await open();
      await signIn(first);
      const tab = await open(); // the same browser, so the same session
      await tab.getByText('Signed in as').waitFor();
      await first.getByRole('button', { name: /Delete Visa ending in 4242/ }).click();
      await expect.poll(() => first.locator('#message').innerText()).toBe('The card was removed.');
      await tab.getByRole('button', { name: /Delete Visa ending in 4242/ }).click();
      await expect.poll(() => tab.locator('#message').innerText()).toBe('That card was already removed.');
      expect(await tab.locator('#message').getAttribute('class')).toBe('ok');
      await expect.poll(() => cardNames(tab)).toEqual(['Mastercard •••• 5454', 'RuPay •••• 6521']);
      // The route answers that stale delete 400 INVALID_REQUEST (the contract), and
      // Chromium logs every non-2xx fetch as a console error; that one is expected, and no other.
      expect(errors).toEqual([
        'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      ]);
      await context.close();
    });

    it('shows a nickname that is markup as those characters, and runs nothing', async () => {
      const markup = '<img src=x onerror=alert(1)>';
      shop.fake?.addCard({
        customerId: 'demo_customer',
        cardReference: 'card_ref_xss',
        last4: '1111',
        nickname: markup,
      });
      const { page, errors } = await openPage(shop.url);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await signIn(page);
      await expect.poll(() => page.locator('#cards .card-nickname').allTextContents()).toContain(markup);
      expect(await page.locator('#cards img').count()).toBe(0);
      expect(await page.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('is usable at 320 px: no sideways scrolling, every button reachable by keyboard', async () => {
      const { page, errors } = await openPage(shop.url, 320);
      await signIn(page);
      await page.locator('#cards li').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      for (const button of await page.getByRole('button').all()) {
        const box = await button.boundingBox();
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(320);
      }
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.tagName);
      expect(focused).toBe('BUTTON');
      expect(await page.locator('[role="status"][aria-live="polite"]').count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    });
  });
}
