import type { FakeCall } from '../../libs/shared/chirpstack-fake/src';

const COUNT_DISPLAY_PORT = 20;
const UNKNOWN_COUNT = 0xffff;

/** A frame queued at ChirpStack for a device, as the fake recorded the call. */
export interface EnqueuedFrame {
  devEui: string;
  /** When the call reached ChirpStack (epoch ms). */
  at: number;
  fPort: number;
  hex: string;
  /** The count a count-display frame shows; null for none, or for a frame that is not one. */
  count: number | null;
}

interface EnqueueRequest {
  queueItem?: { devEui?: string; fPort?: number; data?: string };
}

/** The count a reference count-display frame shows (fPort 20, version 1, bytes 1–2 big-endian); null for none (0xFFFF) or another frame. */
export function countShown(fPort: number, data: Buffer): number | null {
  if (fPort !== COUNT_DISPLAY_PORT || data.length < 8 || data[0] !== 0x01) return null;
  const count = data.readUInt16BE(1);
  return count === UNKNOWN_COUNT ? null : count;
}

/** Every frame ChirpStack took (`DeviceService.Enqueue` answered OK), oldest first. */
export function enqueuedFrames(calls: readonly FakeCall[]): EnqueuedFrame[] {
  return calls
    .filter((call) => call.method === 'DeviceService.Enqueue' && call.failed === undefined)
    .flatMap((call) => {
      const item = (call.request as EnqueueRequest).queueItem;
      if (!item?.devEui || item.fPort === undefined || item.data === undefined) return [];
      // The request's toObject() holds bytes as base64.
      const data = Buffer.from(item.data, 'base64');
      return [{ devEui: item.devEui.toLowerCase(), at: call.at.getTime(), fPort: item.fPort, hex: data.toString('hex'), count: countShown(item.fPort, data) }];
    })
    .sort((a, b) => a.at - b.at);
}
