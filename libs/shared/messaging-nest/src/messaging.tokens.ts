/** Injection tokens of the messaging module. Classes (EventPublisher, OutboxWriter, …) are their own tokens. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const JETSTREAM = Symbol('JETSTREAM');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const MESSAGING_DATABASE = Symbol('MESSAGING_DATABASE');
/** The relay's own TenantDatabase when the service gives it one (closed at shutdown). */
export const RELAY_DATABASE = Symbol('RELAY_DATABASE');
