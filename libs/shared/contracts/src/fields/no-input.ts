/** The request of a query that takes no input (the JWKS, a snapshot, `me`): every field sent is refused. */
export class NoInput {}
