import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { HIGH_VOLUME_ROUTES, isQuietRoute } from '../quiet-routes';
import { activeTraceFields } from '../tracing/active-trace-fields';
import { REDACT_PATHS, REDACTED } from './redact-paths';
import { requestIdFor } from './request-id';

export interface LoggerSettings {
  service: string;
  version: string;
  level: string;
  /** Where lines go; stdout when omitted. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** The one definition of our log format, shared by Nest (pino-http) and plain pino loggers. */
export function pinoOptions(settings: Pick<LoggerSettings, 'service' | 'version' | 'level'>): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service, version: settings.version },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    mixin: activeTraceFields,
  };
}

/** For `LoggerModule.forRoot(createLoggerParams(...))` from nestjs-pino. */
export function createLoggerParams(settings: LoggerSettings): Params {
  const options: PinoHttpOptions = {
    ...pinoOptions(settings),
    genReqId: (req, res) => requestIdFor(req, res),
    // Lines logged while serving a request carry its id, not the whole request.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    // What an access log needs, without the headers: they carry credentials, and walking them
    // for the redaction paths cost more than the rest of the line.
    serializers: {
      req: (req: SerializedRequest) => ({ id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress, userAgent: req.headers?.['user-agent'] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => isQuietRoute(originalUrl(req)) },
  };
  return {
    pinoHttp: settings.destination ? [options, settings.destination] : options,
    // Not even a per-request child logger for webhooks (it cost a tenth of the gateway's CPU);
    // their routes log refusals and errors themselves.
    exclude: HIGH_VOLUME_ROUTES.map((path) => ({ method: RequestMethod.ALL, path })),
  };
}

/** A logger for code that runs outside Nest (scripts, the migration runner, workers). */
export function createPinoLogger(settings: LoggerSettings): Logger {
  return pino(pinoOptions(settings), settings.destination);
}

/** The request as pino's standard serializer hands it on. */
interface SerializedRequest {
  id: unknown;
  method: string;
  url: string;
  remoteAddress?: string;
  headers?: Record<string, string | string[] | undefined>;
}

// Middleware mounts may rewrite `url`; `originalUrl` (when present) is what the client sent.
function originalUrl(req: { url?: string }): string | undefined {
  return (req as { originalUrl?: string }).originalUrl ?? req.url;
}
