/**
 * The module's global exception filter: a `JuspayError` thrown by any controller (the
 * bound `deleteToken()` or `listCards()` rejected) is answered in JSON from the route's
 * table; Nest's own filters keep every other exception.
 */
import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JuspayError } from '@juspay-tokens/core';
import { toRouteAnswer } from '@juspay-tokens/core/route';

/** Answers `JuspayError`s over HTTP as the ready-made routes would, on either platform. */
@Catch(JuspayError)
export class JuspayExceptionFilter implements ExceptionFilter<JuspayError> {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  catch(error: JuspayError, host: ArgumentsHost): void {
    const answer = toRouteAnswer(error);
    const adapter = this.host.httpAdapter;
    // Not an HTTP call (a microservice, a gateway): the error stays the caller's.
    if (host.getType() !== 'http' || answer === undefined || adapter == null) throw error;
    const response: unknown = host.switchToHttp().getResponse();
    if (adapter.isHeadersSent(response)) return;
    for (const [name, value] of Object.entries(answer.headers)) adapter.setHeader(response, name, value);
    adapter.setHeader(response, 'content-type', 'application/json; charset=utf-8');
    adapter.reply(response, answer.body, answer.status);
  }
}
