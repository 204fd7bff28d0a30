/**
 * How long the state and count consumers wait for more events before taking a batch. A sign
 * shows at most one frame per SIGNAGE_MIN_FRAME_INTERVAL_MS (2 s by default), so a quarter of a
 * second more costs it nothing it could show, while a steady stream of uplinks then costs a
 * transaction every quarter second instead of one every few events.
 */
export const EVENT_LINGER_MS = 250;
