// The demo shop's page: the shopper's saved cards as Juspay lists them (through the list
// route), deleted one at a time through the delete route or all at once through the
// shop's own route. Served as a file of its own, so the page's Content-Security-Policy
// allows no inline script. Every value from the server is set as text, never as HTML:
// a nickname is whatever the shopper typed.
const $ = (id) => document.getElementById(id);

// What the shopper reads for each answer: never a raw code, never Juspay's own text.
const MESSAGES = {
  deleted: 'The card was removed.',
  gone: 'That card was already removed.',
  UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  CROSS_SITE_REQUEST: 'That request was refused. Reload the page and try again.',
  FORBIDDEN: 'That request was refused. Reload the page and try again.',
  UPSTREAM_RATE_LIMITED: 'Too many requests right now. Please try again in a moment.',
  UPSTREAM_TIMEOUT:
    'The card service took too long to answer. Your list is refreshed: check it before trying again.',
  REQUEST_TIMEOUT: 'The request took too long. Please try again.',
  SERVICE_UNAVAILABLE: 'The shop is unavailable right now. Please try again shortly.',
  listFailed: 'Your saved cards could not be loaded right now. Please try again shortly.',
  fallback: 'We could not remove the card right now. Please try again later.',
};

// Juspay's brand names as a shopper knows them.
const BRANDS = { VISA: 'Visa', MASTERCARD: 'Mastercard', RUPAY: 'RuPay', AMEX: 'American Express' };

function say(text, ok) {
  $('message').textContent = text;
  $('message').className = ok ? 'ok' : 'fail';
}

/** A request to the shop: its status and its JSON body (null when none or not JSON). */
async function send(method, path, body) {
  try {
    const res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, body: json };
  } catch {
    return { status: 0, body: null };
  }
}

/** Disables every button while `work` runs: no double submit. */
async function busy(work) {
  for (const button of document.querySelectorAll('button')) button.disabled = true;
  try {
    return await work();
  } finally {
    for (const button of document.querySelectorAll('button')) button.disabled = false;
  }
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

/** A card as the shopper knows it: "Visa •••• 4242", its nickname, its expiry. */
function describe(card) {
  const brand = BRANDS[card.brand] ?? card.brand ?? 'Card';
  const name = card.last4 ? `${brand} •••• ${card.last4}` : brand;
  const expiry =
    card.expiryMonth && card.expiryYear ? `${card.expiryMonth}/${card.expiryYear.slice(-2)}` : undefined;
  return { brand, name, expiry };
}

function cardItem(card) {
  const { brand, name, expiry } = describe(card);
  const item = document.createElement('li');
  const label = document.createElement('span');
  const title = span('card-name', name);
  label.append(title);
  if (card.expired) label.append(span('badge', 'Expired'));
  if (card.nickname) label.append(span('card-nickname', card.nickname));
  if (expiry) label.append(span('card-expiry', card.expired ? `expired ${expiry}` : `expires ${expiry}`));
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'danger';
  remove.textContent = 'Delete';
  const ending = card.last4 ? ` ending in ${card.last4}` : '';
  remove.setAttribute('aria-label', `Delete ${brand}${ending}${expiry ? `, expires ${expiry}` : ''}`);
  remove.addEventListener('click', () => busy(() => deleteCard(card)));
  item.append(label, remove);
  return item;
}

function showCards(cards) {
  $('cards').replaceChildren(...cards.map(cardItem));
  $('no-cards').hidden = cards.length > 0;
  $('remove-all').hidden = cards.length === 0;
}

/** Reads the session and the cards again; resolves once the page shows them. */
async function refresh() {
  const me = await send('GET', '/api/me');
  if (me.status !== 200 || me.body === null) {
    say(MESSAGES.SERVICE_UNAVAILABLE, false);
    return;
  }
  $('mode').textContent =
    me.body.mode === 'offline'
      ? 'Offline demo: a fake Juspay runs inside the server.'
      : 'Live: deleting a card here deletes it at Juspay.';
  const signedIn = me.body.customerId !== null;
  $('signed-out').hidden = signedIn;
  $('signed-in').hidden = !signedIn;
  if (!signedIn) return;
  $('customer').textContent = me.body.customerId;
  // The ready-made list route: the signed-in shopper's cards, from Juspay.
  const listed = await send('GET', '/juspay/cards');
  if (listed.status === 200 && Array.isArray(listed.body?.cards)) showCards(listed.body.cards);
  else say(MESSAGES[listed.body?.error?.code] ?? MESSAGES.listFailed, false);
}

// The ready-made delete route. The list is refreshed before the result is announced, so
// what a screen reader hears matches what the page shows.
async function deleteCard(card) {
  const { status, body } = await send('POST', '/juspay/cards/delete', { card_reference: card.cardReference });
  const code = body?.error?.code;
  await refresh();
  if (status === 200) say(body.alreadyGone ? MESSAGES.gone : MESSAGES.deleted, true);
  // Juspay does not know the card: another tab or a double submit removed it first.
  else if (code === 'INVALID_REQUEST') say(MESSAGES.gone, true);
  else say(MESSAGES[code] ?? MESSAGES.fallback, false);
  $('title').focus();
}

$('sign-in').addEventListener('click', () =>
  busy(async () => {
    const { status, body } = await send('POST', '/login', {});
    if (status === 200) say('', true);
    else say(MESSAGES[body?.error?.code] ?? MESSAGES.fallback, false);
    await refresh();
    $('title').focus();
  }),
);
$('sign-out').addEventListener('click', () =>
  busy(async () => {
    await send('POST', '/logout', {});
    await refresh();
    say('You are signed out.', true);
    $('sign-in').focus();
  }),
);
// The shop's own route, which lists the cards and calls req.juspay.deleteToken() for each.
$('remove-all').addEventListener('click', () => {
  const count = $('cards').children.length;
  if (!window.confirm(`Remove all ${count} saved card(s)? This cannot be undone.`)) return;
  return busy(async () => {
    const { status, body } = await send('POST', '/api/cards/remove-all', {});
    await refresh();
    if (status !== 200) say(MESSAGES[body?.error?.code] ?? MESSAGES.fallback, false);
    else if (body.failed === 0) say(`Removed ${body.removed} card(s).`, true);
    else
      say(
        `Removed ${body.removed} card(s); ${body.failed} could not be removed. Please try again later.`,
        false,
      );
    $('title').focus();
  });
});

refresh().catch(() => say(MESSAGES.SERVICE_UNAVAILABLE, false));
