/**
 * Test kit of `@juspay-tokens/core`: a fake Juspay Delete Token API over real loopback
 * HTTP, for your own tests, demos and benchmarks.
 *
 * @packageDocumentation
 */
export {
  INVALID_CARD_BODY,
  startFakeJuspay,
  type FakeCard,
  type FakeJuspay,
  type FakeJuspayFault,
  type FakeJuspayOptions,
  type FakeJuspayRequest,
} from './fake-juspay.js';
