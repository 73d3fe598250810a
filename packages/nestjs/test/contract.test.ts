import { runRouteContract } from '@juspay-tokens/route-contract';
import { nestHarness } from './harness.js';

runRouteContract('Nest 12 on the Express platform (express-session)', nestHarness('express'), {
  parserErrorsAnswered: true,
});
runRouteContract('Nest 12 on the Fastify platform (@fastify/session)', nestHarness('fastify'), {
  parserErrorsAnswered: true,
});
