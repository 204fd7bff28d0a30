/** What the database tooling reports through; pino and console both fit. */
export interface DatabaseLogger {
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: DatabaseLogger = { info: () => undefined, warn: () => undefined };
