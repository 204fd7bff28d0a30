import { WakeSignal } from '@parking/service-runtime';

/** Wakes the device sync worker in this process: devices that waited for a ChirpStack connection are due now that one exists. */
export class DeviceSyncWakeup extends WakeSignal {}
