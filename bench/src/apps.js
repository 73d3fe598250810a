// One app under load, in its own process: the juspay() routes (or JuspayModule's), or hand-written routes
// doing the same work (delete: JSON body, validation, upstream call, JSON answer; list:
// the upstream call, only the safe fields, the same headers).
import 'reflect-metadata';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { juspay as expressJuspay } from '@juspay-tokens/express';
import { juspay as fetchJuspay } from '@juspay-tokens/fetch';
import { juspay as fastifyJuspay } from '@juspay-tokens/fastify';
import { juspay as koaJuspay } from '@juspay-tokens/koa';
import { JuspayModule } from '@juspay-tokens/nestjs';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpException,
  Module,
  Post,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { Agent, request } from 'undici';

const [name, upstream, apiKey] = process.argv.slice(2);
const CUSTOMER = 'cust_bench';
const ROUTE = '/juspay/cards/delete';
const authorization = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

/** The hand-written call: what a merchant would write with undici directly. */
async function deleteByHand(cardReference) {
  const res = await request(`${upstream}/v4/card/delete`, {
    dispatcher: agent,
    method: 'POST',
    headers: {
      authorization,
      'content-type': 'application/json',
      accept: 'application/json',
      'x-routing-id': CUSTOMER,
      'x-request-id': crypto.randomUUID(),
    },
    body: JSON.stringify({ card_reference: cardReference, customer_id: CUSTOMER }),
  });
  const body = /** @type {{ status?: string }} */ (await res.body.json());
  return res.statusCode === 200 && body.status === 'SUCCESS';
}

/** The hand-written list: fetch the customer's cards, keep only what may reach the page. */
async function listByHand() {
  const res = await request(`${upstream}/cards?customer_id=${encodeURIComponent(CUSTOMER)}`, {
    dispatcher: agent,
    method: 'GET',
    headers: {
      authorization,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'x-merchantid': 'bench_merchant',
      'x-routing-id': CUSTOMER,
      'x-request-id': crypto.randomUUID(),
    },
  });
  const body = /** @type {{ cards?: Record<string, unknown>[] }} */ (await res.body.json());
  if (res.statusCode !== 200 || !Array.isArray(body.cards)) throw new Error('list failed');
  return body.cards.map((card) => ({
    cardReference: card.card_reference,
    last4: String(card.card_number).slice(-4),
    brand: card.card_brand,
    expiryMonth: card.card_exp_month,
    expiryYear: card.card_exp_year,
    type: card.card_type,
    issuer: card.card_issuer,
    nickname: card.nickname || undefined,
    expired: card.expired === true,
  }));
}

const LIST_HEADERS = { 'cache-control': 'no-store', vary: 'Cookie', 'x-content-type-options': 'nosniff' };
const LIST_ROUTE = '/juspay/cards';

const valid = (ref) => typeof ref === 'string' && ref.length > 0 && ref.length <= 256;
const clientOptions = { apiKey, baseUrl: upstream, merchantId: 'bench_merchant' };

/**
 * The hand-written fetch handler: what a merchant would write for a Next.js route or a
 * Worker (path and method, `request.json()`, the same checks and answers).
 * @param {Request} request
 */
async function fetchByHand(request) {
  const path = new URL(request.url).pathname;
  const fail = (status, code) => Response.json({ error: { code } }, { status });
  if (path === LIST_ROUTE && request.method === 'GET') {
    try {
      return Response.json({ cards: await listByHand() }, { headers: LIST_HEADERS });
    } catch {
      return fail(502, 'UPSTREAM_UNAVAILABLE');
    }
  }
  if (path !== ROUTE || request.method !== 'POST') return fail(404, 'NOT_FOUND');
  let body;
  try {
    body = await request.json();
  } catch {
    return fail(400, 'INVALID_INPUT');
  }
  if (!valid(body?.card_reference)) return fail(400, 'INVALID_INPUT');
  try {
    return (await deleteByHand(body.card_reference))
      ? Response.json({ status: 'SUCCESS' })
      : fail(400, 'INVALID_REQUEST');
  } catch {
    return fail(502, 'UPSTREAM_UNAVAILABLE');
  }
}

/** A fetch handler served on Node, as @hono/node-server serves one. */
const onNode = (handler) => {
  const listener = getRequestListener(handler);
  return (req, res) => void listener(req, res);
};

/** @type {Record<string, () => import('node:http').RequestListener>} */
const apps = {
  'fetch-juspay': () => onNode(fetchJuspay({ clientOptions, customerId: () => CUSTOMER }).handler),
  'fetch-hand': () => onNode(fetchByHand),
  'express-juspay': () => {
    const app = express();
    app.use(expressJuspay({ clientOptions, customerId: () => CUSTOMER }));
    return app;
  },
  'express-hand': () => {
    const app = express();
    app.get(LIST_ROUTE, (_req, res) => {
      listByHand().then(
        (cards) => res.set(LIST_HEADERS).json({ cards }),
        () => res.status(502).json({ error: { code: 'UPSTREAM_UNAVAILABLE' } }),
      );
    });
    app.post(ROUTE, express.json({ limit: '16kb' }), (req, res) => {
      const ref = req.body?.card_reference;
      if (!valid(ref)) {
        res.status(400).json({ error: { code: 'INVALID_INPUT', message: 'card_reference is required.' } });
        return;
      }
      deleteByHand(ref).then(
        (ok) =>
          ok ? res.json({ status: 'SUCCESS' }) : res.status(400).json({ error: { code: 'INVALID_REQUEST' } }),
        () => res.status(502).json({ error: { code: 'UPSTREAM_UNAVAILABLE' } }),
      );
    });
    return app;
  },
  'koa-juspay': () => {
    const app = new Koa();
    app.use(koaJuspay({ clientOptions, customerId: () => CUSTOMER }));
    return app.callback();
  },
  'koa-hand': () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      if (ctx.path !== ROUTE || ctx.method !== 'POST') return next();
      let body;
      try {
        const chunks = [];
        for await (const chunk of ctx.req) chunks.push(chunk);
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        ctx.status = 400;
        ctx.body = { error: { code: 'INVALID_INPUT' } };
        return;
      }
      if (!valid(body?.card_reference)) {
        ctx.status = 400;
        ctx.body = { error: { code: 'INVALID_INPUT' } };
        return;
      }
      try {
        const ok = await deleteByHand(body.card_reference);
        ctx.status = ok ? 200 : 400;
        ctx.body = ok ? { status: 'SUCCESS' } : { error: { code: 'INVALID_REQUEST' } };
      } catch {
        ctx.status = 502;
        ctx.body = { error: { code: 'UPSTREAM_UNAVAILABLE' } };
      }
    });
    return app.callback();
  },
};

/** Fastify apps build their own server. */
const fastifyApps = {
  'fastify-juspay': async () => {
    const app = Fastify();
    await app.register(fastifyJuspay, { clientOptions, customerId: () => CUSTOMER });
    return app;
  },
  'fastify-hand': async () => {
    const app = Fastify({ bodyLimit: 16 * 1024 });
    app.get(LIST_ROUTE, async (_request, reply) => {
      try {
        return reply.headers(LIST_HEADERS).send({ cards: await listByHand() });
      } catch {
        return reply.code(502).send({ error: { code: 'UPSTREAM_UNAVAILABLE' } });
      }
    });
    app.post(ROUTE, async (request, reply) => {
      const ref = /** @type {{ card_reference?: unknown } | undefined} */ (request.body)?.card_reference;
      if (!valid(ref)) {
        return reply
          .code(400)
          .send({ error: { code: 'INVALID_INPUT', message: 'card_reference is required.' } });
      }
      try {
        const ok = await deleteByHand(ref);
        return ok ? { status: 'SUCCESS' } : reply.code(400).send({ error: { code: 'INVALID_REQUEST' } });
      } catch {
        return reply.code(502).send({ error: { code: 'UPSTREAM_UNAVAILABLE' } });
      }
    });
    return app;
  },
};

/**
 * A hand-written Nest controller doing the routes' work, as a Nest merchant would write it
 * (Nest's own body parser, exceptions for the failures). Plain JavaScript: the decorators
 * are applied as the functions they are.
 */
class HandController {
  async remove(body) {
    const ref = body?.card_reference;
    if (!valid(ref)) {
      throw new BadRequestException({
        error: { code: 'INVALID_INPUT', message: 'card_reference is required.' },
      });
    }
    let ok;
    try {
      ok = await deleteByHand(ref);
    } catch {
      throw new HttpException({ error: { code: 'UPSTREAM_UNAVAILABLE' } }, 502);
    }
    if (!ok) throw new BadRequestException({ error: { code: 'INVALID_REQUEST' } });
    return { status: 'SUCCESS' };
  }

  async list() {
    try {
      return { cards: await listByHand() };
    } catch {
      throw new HttpException({ error: { code: 'UPSTREAM_UNAVAILABLE' } }, 502);
    }
  }
}
{
  const method = (name, ...decorators) => {
    const descriptor = Object.getOwnPropertyDescriptor(HandController.prototype, name);
    for (const decorate of decorators) decorate(HandController.prototype, name, descriptor);
  };
  method('remove', Post(ROUTE), HttpCode(200));
  Body()(HandController.prototype, 'remove', 0);
  method(
    'list',
    Get(LIST_ROUTE),
    ...Object.entries(LIST_HEADERS).map(([name, value]) => Header(name, value)),
  );
  Controller()(HandController);
}

/** Nest apps (on its default Express platform) listen themselves. */
const nestApps = {
  'nest-juspay': () => {
    class AppModule {}
    Module({ imports: [JuspayModule.forRoot({ clientOptions, customerId: () => CUSTOMER })] })(AppModule);
    return AppModule;
  },
  'nest-hand': () => {
    class AppModule {}
    Module({ controllers: [HandController] })(AppModule);
    return AppModule;
  },
};

const report = (port) => process.send?.({ url: `http://127.0.0.1:${port}` });
if (nestApps[name] !== undefined) {
  const app = await NestFactory.create(nestApps[name](), { logger: false });
  app.getHttpServer().keepAliveTimeout = 60_000;
  await app.listen(0, '127.0.0.1');
  report(/** @type {import('node:net').AddressInfo} */ (app.getHttpServer().address()).port);
} else if (fastifyApps[name] !== undefined) {
  const app = await fastifyApps[name]();
  app.server.keepAliveTimeout = 60_000;
  await app.listen({ port: 0, host: '127.0.0.1' });
  report(/** @type {import('node:net').AddressInfo} */ (app.server.address()).port);
} else {
  const build = apps[name];
  if (build === undefined) throw new Error(`unknown app ${name}`);
  const server = createServer(build());
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    report(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
  });
}
process.on('disconnect', () => process.exit(0));
