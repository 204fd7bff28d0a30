/** A migration the runner refuses or could not apply; names the schema, migration and file. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly schema: string,
    readonly migration: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}
