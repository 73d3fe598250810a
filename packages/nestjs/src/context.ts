/**
 * `@JuspayContext()`: the bound `juspay` object of the request a controller serves,
 * built by the route core with the route's defences (a cross-site or GET/HEAD/OPTIONS
 * request is refused before anything is sent).
 */
import {
  createParamDecorator,
  Inject,
  Injectable,
  type ExecutionContext,
  type PipeTransform,
} from '@nestjs/common';
import type { JuspayRequestContext, JuspayRouteCore, RouteRequest } from '@juspay-tokens/core/route';
import { JUSPAY_ROUTE_CORE } from './options.js';

/** The request as the bound calls need it: Express's `req` or Fastify's `request`. */
type PlatformRequest = Pick<RouteRequest, 'method' | 'headers'>;

/** Turns the platform's request into its bound `juspay` object (used by {@link JuspayContext}). */
@Injectable()
export class JuspayContextPipe implements PipeTransform<PlatformRequest | undefined, JuspayRequestContext> {
  constructor(@Inject(JUSPAY_ROUTE_CORE) private readonly core: JuspayRouteCore<PlatformRequest>) {}

  transform(request: PlatformRequest | undefined): JuspayRequestContext {
    if (typeof request?.method !== 'string' || typeof request.headers !== 'object') {
      throw new TypeError(
        '@juspay-tokens/nestjs: @JuspayContext() works in HTTP controllers only (this call has no HTTP request)',
      );
    }
    return this.core.context(request, request);
  }
}

const platformRequest = createParamDecorator((_data: unknown, context: ExecutionContext): PlatformRequest =>
  context.switchToHttp().getRequest(),
);

/**
 * A controller parameter: the `juspay` object bound to the request being served
 * (`deleteToken(cardReference, options?)`, `listCards(options?)`, `client`), the same as
 * `req.juspay` in the Express adapter. Its `deleteToken()` rejects with
 * `JuspayCrossSiteError` for a cross-site or GET/HEAD/OPTIONS request and with
 * `JuspayUnauthenticatedError` when nobody is signed in; the module's exception filter
 * answers both from the route's table.
 *
 * @example
 * @Post('close')
 * async close(@JuspayContext() juspay: JuspayRequestContext) {
 *   await juspay.deleteToken('ref_123');
 * }
 */
export function JuspayContext(): ParameterDecorator {
  return platformRequest(undefined, JuspayContextPipe);
}
