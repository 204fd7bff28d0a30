import { Logger } from '@nestjs/common';
import type { MessagingLogger } from '@parking/messaging';

/** Messaging logs pino-style (`obj, msg`); Nest's Logger (nestjs-pino underneath) takes one object. */
export function nestMessagingLogger(context = 'Messaging'): MessagingLogger {
  const logger = new Logger(context);
  return {
    debug: (obj, msg) => logger.debug({ ...obj, msg }),
    info: (obj, msg) => logger.log({ ...obj, msg }),
    warn: (obj, msg) => logger.warn({ ...obj, msg }),
    error: (obj, msg) => logger.error({ ...obj, msg }),
  };
}
