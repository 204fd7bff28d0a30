/** Injection tokens of the messaging module. Classes (EventPublisher, OutboxWriter, …) are their own tokens. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const JETSTREAM = Symbol('JETSTREAM');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
export const MESSAGING_DATABASE = Symbol('MESSAGING_DATABASE');
