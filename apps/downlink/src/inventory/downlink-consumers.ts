import type { ConsumerDefinition } from '@parking/messaging-nest';
import { AVAILABILITY_EVENTS_CONSUMER } from './availability-events.consumer';
import { DEVICE_EVENTS_CONSUMER } from './device-events.consumer';
import { PLACE_EVENTS_CONSUMERS } from './place-events.consumer';
import { SPACE_EVENTS_CONSUMER } from './space-events.consumer';
import { CONFIRMATIONS_CONSUMER } from '../queue/confirmations.consumer';
import { DISPLAY_REPORTS_CONSUMER } from '../queue/display-reports.consumer';

/** Every durable consumer the downlink service runs (NATS_ACCESS.downlink.durables declares the same). */
export const DOWNLINK_CONSUMERS: readonly ConsumerDefinition[] = [DEVICE_EVENTS_CONSUMER, ...PLACE_EVENTS_CONSUMERS, SPACE_EVENTS_CONSUMER, AVAILABILITY_EVENTS_CONSUMER, CONFIRMATIONS_CONSUMER, DISPLAY_REPORTS_CONSUMER];
