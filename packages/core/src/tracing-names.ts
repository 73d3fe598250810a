/** The TracingChannel names, shared by the Node build and the edge build (which publishes on neither). */

/** The name of the TracingChannel every `deleteToken` call is published on. */
export const TRACING_CHANNEL = 'juspay-tokens:deleteToken';
/** The name of the TracingChannel every `listCards` call is published on. */
export const LIST_TRACING_CHANNEL = 'juspay-tokens:listCards';
