// Type-level tests, checked by `pnpm typecheck` against the built .d.ts (the package
// imports itself by name, as a merchant's app would).
import { JuspayClient as CoreClient } from '@juspay-tokens/core';
import {
  JuspayClient,
  JuspayContext,
  JuspayModule,
  type JuspayModuleOptions,
  type JuspayRequestContext,
} from '@juspay-tokens/nestjs';
import type { DynamicModule } from '@nestjs/common';
import type { Request } from 'express';

// The client the module provides is the core's class: inject it by either import.
const sameClass: typeof CoreClient = JuspayClient;

// Resolvers get `any` by default (the platform's request), or the type you name.
const loose: DynamicModule = JuspayModule.forRoot({
  clientOptions: { apiKey: 'k' },
  customerId: (req) => (req as { session: { customerId?: string } }).session.customerId,
});
const typed: DynamicModule = JuspayModule.forRoot<Request>({
  client: new JuspayClient({ apiKey: 'k' }),
  customerId: (req) => req.get('x-customer'),
  route: { listPath: false },
});
const built: DynamicModule = JuspayModule.forRootAsync({
  imports: [],
  inject: ['CONFIG'],
  useFactory: async (config: { key: string }): Promise<JuspayModuleOptions> => ({
    clientOptions: { apiKey: config.key },
    customerId: () => undefined,
  }),
});
const parameter: ParameterDecorator = JuspayContext();
declare const context: JuspayRequestContext;
void context.deleteToken('ref_1', { timeoutMs: 500 });

// @ts-expect-error customerId is required
JuspayModule.forRoot({ clientOptions: { apiKey: 'k' } });
// @ts-expect-error the factory must give options
JuspayModule.forRootAsync({ useFactory: () => 42 });
// @ts-expect-error the resolver returns an id, not a number
JuspayModule.forRoot<Request>({ clientOptions: { apiKey: 'k' }, customerId: () => 42 });
// @ts-expect-error deleteToken takes the card reference, not params
void context.deleteToken({ cardReference: 'r', customerId: 'c' });

export { built, loose, parameter, sameClass, typed };
