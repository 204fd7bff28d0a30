import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import type { RpcErrorPayload } from '@parking/contracts';
import { assertUnreachable, classifyException, codeForStatus } from '@parking/problem-details';
import { Observable, throwError } from 'rxjs';

export const RPC_UNEXPECTED_DETAIL = 'The service failed unexpectedly; the error is logged.';

/** Turns whatever a message handler threw into the `{code, detail, errors?}` that crosses NATS. */
export function toRpcErrorPayload(exception: unknown, logger?: Logger): RpcErrorPayload {
  const classified = classifyException(exception);
  switch (classified.kind) {
    case 'domain':
      return classified.error.toRpcPayload();
    case 'rpc':
      return classified.payload;
    case 'not-found':
      return { code: 'NOT_FOUND', detail: classified.message };
    case 'client':
      return { code: codeForStatus(classified.status), detail: classified.message };
    case 'server':
    case 'unexpected':
      // Internals stay in the log; the caller learns only that it failed.
      logger?.error(classified.error instanceof Error ? classified.error.stack : String(classified.error));
      return { code: 'INTERNAL', detail: RPC_UNEXPECTED_DETAIL };
    default:
      return assertUnreachable(classified);
  }
}

/** Register with `app.useGlobalFilters(new RpcErrorFilter())` on the microservice. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    const payload = toRpcErrorPayload(exception, this.logger);
    return throwError(() => payload);
  }
}
