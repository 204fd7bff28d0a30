/** The points of the delivery path where fault-injection.js kills its service (CHAOS_FAULT). */
export const CHAOS_FAULTS = ['relay-before-publish', 'relay-after-publish', 'consumer-before-ack'] as const;
export type ChaosFault = (typeof CHAOS_FAULTS)[number];
