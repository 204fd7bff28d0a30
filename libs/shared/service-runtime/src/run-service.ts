import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, NestMicroservice, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { registerHttpMetrics, registerRequestIdHeader, requestIdFor } from '@parking/observability';
import { RpcErrorFilter, trustRpcCallers } from '@parking/messaging-nest';
import { natsClientOptions } from '@parking/messaging';
import { readTrustedKeys, RpcProofVerifier } from '@parking/rpc-proof';
import { createValidationPipe } from '@parking/problem-details';
import { QuietFrameworkLogger } from './quiet-framework-logger';
import { ServiceConfig } from './service-config';

export interface RunServiceOptions {
  config: ServiceConfig;
  module: Type<unknown> | DynamicModule;
  /** Serve NATS request/reply commands (`@MessagePattern('rpc.<service>.v1…')`) in the queue group of the service. */
  rpc?: boolean;
  /** Largest accepted request body; REST routes stay small, webhooks set their own limit. */
  bodyLimitBytes?: number;
  /** Trust X-Forwarded-* from proxies (a load balancer in front): `true`, a hop count, or addresses. */
  trustProxy?: boolean | number | string[];
  /** Runs after the app is created and before routes are registered: Fastify plugins go here. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
  /**
   * Close on SIGTERM/SIGINT (default). Off when several services share one process: the host
   * closes them itself, one after another, since each Nest app re-raises the signal once closed.
   */
  handleSignals?: boolean;
}

/**
 * Boots one service: Fastify with request ids, logs, metrics and problem+json; the NATS
 * request/reply server when asked; listening on its port; a graceful stop on SIGTERM that
 * is forced after `shutdownTimeoutMs`.
 */
export async function runService(options: RunServiceOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // Our id (a caller's plain x-request-id, else a UUID) becomes request.id and the log's requestId.
    genReqId: requestIdFor,
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, { bufferLogs: true });
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  await options.configure?.(app);
  app.useGlobalPipes(createValidationPipe());
  const fastify = app.getHttpAdapter().getInstance();
  registerHttpMetrics(fastify);
  registerRequestIdHeader(fastify);
  if (options.rpc) {
    trustRpcCallers(new RpcProofVerifier(readTrustedKeys(config.rpcProof.trustedKeys ?? '')));
    // Not the HTTP app's config: its validation pipe would check the raw RPC payload (context
    // fields and all) against the handler's class. @RpcHandler is the RPC side's one check;
    // errors leave as {code, detail} through the RPC filter, registered before the listeners.
    const rpc = app.connectMicroservice<MicroserviceOptions>(
      { transport: Transport.NATS, options: { ...natsClientOptions({ url: config.nats.url, name: config.service, auth: config.nats.auth }), queue: config.service } },
      { deferInitialization: true },
    );
    rpc.useGlobalFilters(new RpcErrorFilter());
    // The microservice shares the app's modules: their init and bootstrap hooks run once, in
    // app.init() below (a deferred microservice would run them a second time as it listens).
    (rpc as unknown as NestMicroservice).setIsInitHookCalled(true);
  }
  if (options.handleSignals !== false) {
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    forceExitAfterShutdownTimeout(config.shutdownTimeoutMs);
  }
  // Hooks first (streams, keys, feeds), then the RPC listeners, then HTTP.
  await app.init();
  await app.startAllMicroservices();
  await app.listen({ port: config.http.port, host: '0.0.0.0' });
  app.get(Logger).log(`${config.service} ${config.version} listening on :${config.http.port}`);
  return app;
}

/** A drain that hangs must not keep a pod in Terminating forever. */
function forceExitAfterShutdownTimeout(timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`shutdown took longer than ${timeoutMs} ms; exiting\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
