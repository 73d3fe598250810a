/**
 * The module itself, on real Nest 12 apps: forRootAsync with @nestjs/config, the client
 * as a provider and its lifecycle, @JuspayContext() and the exception filter, session
 * middleware applied from a module, route: false, and an application without HTTP.
 */
import 'reflect-metadata';
import { JuspayClient, type JuspayEvent } from '@juspay-tokens/core';
import { startFakeJuspay, type FakeJuspay } from '@juspay-tokens/core/testing';
import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  NotFoundException,
  Post,
  Query,
  Req,
  type INestApplication,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Request } from 'express';
import session from 'express-session';
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  JuspayContext,
  JuspayContextPipe,
  JuspayModule,
  type JuspayModuleOptions,
  type JuspayRequestContext,
} from '../src/index.js';

const API_KEY = 'sk_nest_module_Secr3t';
const MERCHANT_ID = 'nest_merchant';
const NEST = { logger: false as const, abortOnError: false };

declare module 'express-session' {
  interface SessionData {
    customerId?: string;
  }
}

let fake: FakeJuspay;
const apps: INestApplication[] = [];

beforeAll(async () => {
  fake = await startFakeJuspay({ apiKey: API_KEY, merchantId: MERCHANT_ID });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.addCard({ customerId: 'cust_1', cardReference: 'ref_1', brand: 'VISA', last4: '4242' });
  fake.addCard({ customerId: 'cust_1', cardReference: 'ref_2', brand: 'MASTERCARD', last4: '4444' });
});
afterEach(async () => {
  while (apps.length > 0) await apps.pop()?.close();
});

/** A service of the app's own that takes the module's client, as merchants' services would. */
@Injectable()
class BackOffice {
  constructor(@Inject(JuspayClient) readonly client: JuspayClient) {}
}

@Controller()
class ShopController {
  @Get('test/login')
  @HttpCode(204)
  login(@Req() req: Request, @Query('customer') customer: string) {
    req.session.customerId = customer;
  }

  @Post('account/close')
  @HttpCode(204)
  async close(@JuspayContext() juspay: JuspayRequestContext) {
    await juspay.deleteToken('ref_1');
  }

  @Get('account/cards')
  async cards(@JuspayContext() juspay: JuspayRequestContext) {
    const { cards } = await juspay.listCards();
    return cards.map((card) => card.last4);
  }

  @Get('missing')
  missing() {
    throw new NotFoundException('no such page');
  }

  @Get('bug')
  bug() {
    throw new Error('a bug in merchant code');
  }
}

const clientOptions = () => ({ apiKey: API_KEY, merchantId: MERCHANT_ID, baseUrl: fake.url, maxRetries: 0 });
const customerId = (req: Request) => req.session.customerId;

/** An Express-platform app importing `juspay` (a module), with express-session from main.ts. */
async function expressApp(juspay: ReturnType<typeof JuspayModule.forRoot>): Promise<NestExpressApplication> {
  @Module({ imports: [juspay], controllers: [ShopController], providers: [BackOffice] })
  class AppModule {}
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new ExpressAdapter(), NEST);
  app.use(session({ secret: 'module-test', resave: false, saveUninitialized: false }));
  apps.push(app);
  await app.init();
  return app;
}

async function signIn(app: INestApplication) {
  const agent = request.agent(app.getHttpServer() as Server);
  expect((await agent.get('/test/login?customer=cust_1')).status).toBe(204);
  return agent;
}

describe('JuspayModule.forRootAsync', () => {
  it('builds the options with a ConfigService from the imported ConfigModule', async () => {
    const config = ConfigModule.forRoot({
      ignoreEnvFile: true,
      load: [() => ({ JUSPAY_API_KEY: API_KEY, JUSPAY_MERCHANT_ID: MERCHANT_ID, JUSPAY_BASE_URL: fake.url })],
    });
    const app = await expressApp(
      JuspayModule.forRootAsync({
        imports: [config],
        inject: [ConfigService],
        useFactory: async (settings: ConfigService): Promise<JuspayModuleOptions<Request>> => {
          await new Promise((resolve) => setImmediate(resolve));
          return {
            clientOptions: {
              apiKey: settings.getOrThrow<string>('JUSPAY_API_KEY'),
              merchantId: settings.getOrThrow<string>('JUSPAY_MERCHANT_ID'),
              baseUrl: settings.getOrThrow<string>('JUSPAY_BASE_URL'),
            },
            customerId,
          };
        },
      }),
    );
    const agent = await signIn(app);
    const listed = await agent.get('/juspay/cards');
    expect(listed.status).toBe(200);
    expect((listed.body as { cards: { cardReference: string }[] }).cards.map((c) => c.cardReference)).toEqual(
      ['ref_1', 'ref_2'],
    );
    expect(fake.requests[0]?.headers['x-merchantid']).toBe(MERCHANT_ID);
  });

  it('fails the start with a TypeError naming the fix when the factory gives bad options', async () => {
    @Module({
      imports: [JuspayModule.forRootAsync({ useFactory: () => ({ customerId: () => undefined }) })],
    })
    class AppModule {}
    const started = NestFactory.create(AppModule, new ExpressAdapter(), NEST);
    await expect(started).rejects.toThrow(/@juspay-tokens\/nestjs: pass "client: new JuspayClient/);
  });
});

describe('the client as a provider', () => {
  it('injects the client the routes use', async () => {
    const events: JuspayEvent[] = [];
    const errors: unknown[] = [];
    const app = await expressApp(
      JuspayModule.forRoot({
        clientOptions: { ...clientOptions(), onEvent: (e) => events.push(e) },
        customerId,
        onError: (err) => errors.push(err),
      }),
    );
    const injected = app.get(BackOffice).client;
    expect(injected).toBeInstanceOf(JuspayClient);
    expect(app.get(JuspayClient)).toBe(injected);
    const agent = await signIn(app);
    expect((await agent.post('/juspay/cards/delete').send({ card_reference: 'ref_2' })).status).toBe(200);
    expect(events.map((e) => e.type)).toContain('response');
    // Closing the injected client stops the routes' calls: they go through it.
    await injected.close();
    expect((await agent.get('/juspay/cards')).status).toBe(500);
    expect(errors).toEqual([
      expect.objectContaining({ message: 'JuspayClient: listCards was called after close()' }),
    ]);
    expect(fake.requests).toHaveLength(1);
  });

  it('closes a client it built from clientOptions on app.close()', async () => {
    const app = await expressApp(JuspayModule.forRoot({ clientOptions: clientOptions(), customerId }));
    const client = app.get(JuspayClient);
    apps.pop();
    await app.close();
    await expect(client.deleteToken({ cardReference: 'ref_1', customerId: 'cust_1' })).rejects.toThrow(
      /after close\(\)/,
    );
  });

  it('leaves a client passed in open: it is the app’s to close', async () => {
    const client = new JuspayClient(clientOptions());
    const app = await expressApp(JuspayModule.forRoot({ client, customerId }));
    expect(app.get(JuspayClient)).toBe(client);
    apps.pop();
    await app.close();
    await expect(client.deleteToken({ cardReference: 'ref_1', customerId: 'cust_1' })).resolves.toMatchObject(
      {
        alreadyGone: false,
      },
    );
    await client.close();
  });

  it('provides the client in an application without HTTP (no routes to mount)', async () => {
    @Module({
      imports: [JuspayModule.forRoot({ clientOptions: clientOptions(), customerId })],
      providers: [BackOffice],
    })
    class WorkerModule {}
    const context = await NestFactory.createApplicationContext(WorkerModule, NEST);
    const { client } = context.get(BackOffice);
    await expect(client.listCards({ customerId: 'cust_1' })).resolves.toMatchObject({
      cards: [
        expect.objectContaining({ cardReference: 'ref_1' }),
        expect.objectContaining({ cardReference: 'ref_2' }),
      ],
    });
    await context.close();
    await expect(client.listCards({ customerId: 'cust_1' })).rejects.toThrow(/after close\(\)/);
  });
});

describe('@JuspayContext() and the exception filter', () => {
  it('deletes and lists for the signed-in shopper from a controller', async () => {
    const app = await expressApp(JuspayModule.forRoot({ clientOptions: clientOptions(), customerId }));
    const agent = await signIn(app);
    expect((await agent.post('/account/close')).status).toBe(204);
    expect(fake.cards('cust_1')).toEqual(['ref_2']);
    expect((await agent.get('/account/cards')).body).toEqual(['4444']);
  });

  it('refuses a cross-site POST with 403 JSON through the filter, sending nothing', async () => {
    const app = await expressApp(JuspayModule.forRoot({ clientOptions: clientOptions(), customerId }));
    const agent = await signIn(app);
    const res = await agent.post('/account/close').set('origin', 'https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'CROSS_SITE_REQUEST', message: expect.any(String) } });
    expect(fake.requests).toHaveLength(0);
  });

  it('answers a signed-out call 401 and a repeat delete 400 from the table', async () => {
    const app = await expressApp(JuspayModule.forRoot({ clientOptions: clientOptions(), customerId }));
    const anonymous = await request(app.getHttpServer()).post('/account/close');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const agent = await signIn(app);
    expect((await agent.post('/account/close')).status).toBe(204);
    const again = await agent.post('/account/close');
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });

  it('leaves other exceptions to Nest: its own 404 and 500 answers', async () => {
    const app = await expressApp(JuspayModule.forRoot({ clientOptions: clientOptions(), customerId }));
    const missing = await request(app.getHttpServer()).get('/missing');
    expect({ status: missing.status, body: missing.body as unknown }).toEqual({
      status: 404,
      body: { statusCode: 404, message: 'no such page', error: 'Not Found' },
    });
    const bug = await request(app.getHttpServer()).get('/bug');
    expect({ status: bug.status, body: bug.body as unknown }).toEqual({
      status: 500,
      body: { statusCode: 500, message: 'Internal server error' },
    });
  });

  it('works on the Fastify platform too: the filter answers through Fastify’s reply', async () => {
    @Controller()
    class FastifyShop {
      @Post('account/close')
      @HttpCode(204)
      async close(@JuspayContext() juspay: JuspayRequestContext) {
        await juspay.deleteToken('ref_1');
      }
    }
    @Module({
      imports: [JuspayModule.forRoot({ clientOptions: clientOptions(), customerId: () => 'cust_1' })],
      controllers: [FastifyShop],
    })
    class AppModule {}
    const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), NEST);
    apps.push(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const crossSite = await request(app.getHttpServer())
      .post('/account/close')
      .set('sec-fetch-site', 'cross-site');
    expect(crossSite.status).toBe(403);
    expect(crossSite.body).toMatchObject({ error: { code: 'CROSS_SITE_REQUEST' } });
    expect(crossSite.headers['cache-control']).toBe('no-store');
    expect((await request(app.getHttpServer()).post('/account/close')).status).toBe(204);
    expect(fake.cards('cust_1')).toEqual(['ref_2']);
  });
});

describe('mounting', () => {
  it('serves the routes after session middleware a module applies in configure()', async () => {
    @Module({
      imports: [JuspayModule.forRoot({ clientOptions: clientOptions(), customerId })],
      controllers: [ShopController],
    })
    class AppModule implements NestModule {
      configure(consumer: MiddlewareConsumer) {
        consumer
          .apply(session({ secret: 'module-test', resave: false, saveUninitialized: false }))
          .forRoutes('*');
      }
    }
    const app = await NestFactory.create(AppModule, new ExpressAdapter(), NEST);
    apps.push(app);
    await app.init();
    const agent = await signIn(app);
    const listed = await agent.get('/juspay/cards');
    expect(listed.status).toBe(200);
    expect((listed.body as { cards: unknown[] }).cards).toHaveLength(2);
  });

  it('keeps the routes at the paths `route` names under a global prefix (which applies to controllers)', async () => {
    @Module({
      imports: [
        JuspayModule.forRoot({
          clientOptions: clientOptions(),
          customerId,
          route: { path: '/api/juspay/cards/delete', listPath: '/api/juspay/cards' },
        }),
      ],
      controllers: [ShopController],
    })
    class AppModule {}
    const app = await NestFactory.create<NestExpressApplication>(AppModule, new ExpressAdapter(), NEST);
    app.use(session({ secret: 'module-test', resave: false, saveUninitialized: false }));
    app.setGlobalPrefix('api');
    apps.push(app);
    await app.init();
    const agent = request.agent(app.getHttpServer());
    expect((await agent.get('/api/test/login?customer=cust_1')).status).toBe(204);
    expect((await agent.get('/api/juspay/cards')).status).toBe(200);
    expect((await agent.post('/api/account/close')).status).toBe(204);
    expect((await agent.get('/juspay/cards')).status).toBe(404);
  });

  it('mounts no route with route: false, and @JuspayContext() still works', async () => {
    const app = await expressApp(
      JuspayModule.forRoot({ clientOptions: clientOptions(), customerId, route: false }),
    );
    const agent = await signIn(app);
    expect((await agent.get('/juspay/cards')).status).toBe(404);
    expect((await agent.post('/account/close')).status).toBe(204);
  });
});

describe('@JuspayContext() outside HTTP', () => {
  it('says it works in HTTP controllers only, rather than failing later on a missing request', async () => {
    @Module({ imports: [JuspayModule.forRoot({ clientOptions: clientOptions(), customerId })] })
    class WorkerModule {}
    const context = await NestFactory.createApplicationContext(WorkerModule, NEST);
    try {
      const pipe = context.get(JuspayContextPipe);
      expect(() => pipe.transform(undefined)).toThrow(/works in HTTP controllers only/);
    } finally {
      await context.close();
    }
  });
});
