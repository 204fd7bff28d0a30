/** The logging surface messaging needs; a pino logger fits as is. */
export interface MessagingLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => undefined;
export const silentMessagingLogger: MessagingLogger = { debug: noop, info: noop, warn: noop, error: noop };
