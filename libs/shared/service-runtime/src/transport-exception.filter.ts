import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import { RpcErrorFilter } from '@parking/messaging-nest';
import { ProblemDetailsFilter } from '@parking/problem-details';

/**
 * One filter for a hybrid service: HTTP errors become problem+json, errors of NATS
 * request/reply handlers become the `{code, detail}` payload the caller maps back.
 */
@Catch()
@Injectable()
export class TransportExceptionFilter implements ExceptionFilter {
  private readonly rpc = new RpcErrorFilter();

  constructor(private readonly http: ProblemDetailsFilter) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    return host.getType() === 'rpc' ? this.rpc.catch(exception, host) : this.http.catch(exception, host);
  }
}
