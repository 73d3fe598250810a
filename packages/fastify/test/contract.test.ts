import { runRouteContract } from '@juspay-tokens/route-contract';
import { fastifyHarness } from './harness.js';

runRouteContract('Fastify 5 with @fastify/session', fastifyHarness('session'), {
  parserErrorsAnswered: true,
});
runRouteContract('Fastify 5 with @fastify/secure-session', fastifyHarness('secure-session'), {
  parserErrorsAnswered: true,
});
