import type { ConsumerDefinition } from '@parking/messaging-nest';
import { PLACE_EVENTS_CONSUMERS } from './place-events.consumer';
import { CONFIRMATIONS_CONSUMER } from '../queue/confirmations.consumer';
import { DISPLAY_REPORTS_CONSUMER } from '../queue/display-reports.consumer';

/**
 * The durable consumers the downlink service runs one event at a time. With the batch consumers
 * of the availability counts (AVAILABILITY_DURABLE), the spaces (SPACES_DURABLE) and the devices
 * (DEVICES_DURABLE) they are what NATS_ACCESS.downlink.durables declares.
 */
export const DOWNLINK_CONSUMERS: readonly ConsumerDefinition[] = [...PLACE_EVENTS_CONSUMERS, CONFIRMATIONS_CONSUMER, DISPLAY_REPORTS_CONSUMER];
