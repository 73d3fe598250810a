/**
 * Real Nest 12 applications for the route contract: the Express platform with
 * express-session, and the Fastify platform with @fastify/session, each with the
 * module imported by the app's root module and merchant code in a controller.
 */
import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { middlewareOptions, serveHarness, type MakeHarness } from '@juspay-tokens/route-contract';
import { All, Controller, Get, HttpCode, Module, Query, Req, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RequestListener, Server } from 'node:http';
import session from 'express-session';
import request from 'supertest';
import { JuspayContext, JuspayModule, type JuspayRequestContext } from '../src/index.js';

/** Nest's two HTTP platforms. */
export type Platform = 'express' | 'fastify';

const SECRET = 'contract-secret-of-at-least-32-characters';

interface SessionFields {
  customerId?: string | undefined;
  routingId?: string | undefined;
}

/** Reads and writes the session the same way on both platforms. */
interface SessionAccess {
  read(req: unknown): SessionFields;
  write(req: unknown, fields: SessionFields): void;
  end(req: unknown): Promise<void>;
}

const SESSIONS: Record<Platform, SessionAccess> = {
  express: {
    read: (req) => (req as { session: SessionFields }).session,
    write: (req, fields) => Object.assign((req as { session: SessionFields }).session, fields),
    end: (req) =>
      new Promise((resolve, reject) =>
        (req as { session: { destroy(cb: (err?: Error) => void): void } }).session.destroy((err) =>
          err ? reject(err) : resolve(),
        ),
      ),
  },
  fastify: {
    read: (req) => {
      const store = (req as { session: { get(key: string): string | undefined } }).session;
      return { customerId: store.get('customerId'), routingId: store.get('routingId') };
    },
    write: (req, fields) => {
      const store = (req as { session: { set(key: string, value: string): void } }).session;
      for (const [key, value] of Object.entries(fields) as [string, string | undefined][])
        if (value !== undefined) store.set(key, value);
    },
    end: (req) => (req as { session: { destroy(): Promise<void> } }).session.destroy(),
  },
};

/** The harness app's controllers: sign-in for the tests, and merchant code. */
function harnessControllers(access: SessionAccess) {
  @Controller('test')
  class TestSessionController {
    @Get('login')
    @HttpCode(204)
    login(@Req() req: unknown, @Query('customer') customer: string, @Query('routing') routing?: string) {
      access.write(req, { customerId: customer, routingId: routing });
    }

    @Get('logout')
    @HttpCode(204)
    async logout(@Req() req: unknown) {
      await access.end(req);
    }
  }

  @Controller()
  class MerchantController {
    @All('merchant/delete')
    @HttpCode(204)
    async delete(@JuspayContext() juspay: JuspayRequestContext, @Query('card') card: string) {
      await juspay.deleteToken(card);
    }

    @All('merchant/list')
    @HttpCode(200)
    list(@JuspayContext() juspay: JuspayRequestContext) {
      return juspay.listCards();
    }

    @Get('merchant/fail')
    fail() {
      throw new Error('a bug in merchant code');
    }

    @Get('after')
    after() {
      return 'after';
    }
  }
  return [TestSessionController, MerchantController];
}

/** Builds the platform's Nest app with its session middleware or plugins registered. */
async function createApp(platform: Platform, root: object, bodyParser: boolean): Promise<INestApplication> {
  const options = { logger: false as const, abortOnError: false, bodyParser };
  if (platform === 'express') {
    const app = await NestFactory.create<NestExpressApplication>(root, new ExpressAdapter(), options);
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false }));
    return app;
  }
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), options);
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: SECRET,
    saveUninitialized: false,
    cookie: { secure: false, sameSite: 'lax' },
  });
  return app;
}

/** A real Nest 12 app on `platform`, with the module and real sessions, for the route contract. */
export function nestHarness(platform: Platform): MakeHarness {
  return async (options) => {
    const access = SESSIONS[platform];
    const juspayOptions = middlewareOptions<unknown>(options, (req) => access.read(req));

    @Module({ imports: [JuspayModule.forRoot(juspayOptions)], controllers: harnessControllers(access) })
    class AppModule {}

    const app = await createApp(platform, AppModule, options.bodyParser);
    await app.init();
    if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
    const server = app.getHttpServer() as Server;
    const listener = server.listeners('request')[0] as RequestListener;
    return { agent: request.agent(server), ...serveHarness(listener, () => app.close()) };
  };
}
