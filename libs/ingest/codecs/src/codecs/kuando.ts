/**
 * Kuando Busylight IoT (Plenom), a LoRaWAN class C status light: a display, not a sensor, so
 * its uplinks say nothing about a bay. What they are for is the echo of what the light shows.
 *
 * Written from the format in TheThingsNetwork/lorawan-devices vendor/plenom/busylight*.yaml and
 * the referenced decoder; the vendor JS is not reused. The vendor reads any port (its example
 * uses fPort 15) and 24 bytes:
 *   0..3 RSSI and 4..7 SNR of the last downlink as the light heard it (int32le), 8..11 messages
 *   received and 12..15 messages sent (u32le), 16 red, 17 blue, 18 green (the colour shown now;
 *   the order really is R, B, G), 19 on-time and 20 off-time (its blink, in tenths of a second),
 *   21 software and 22 hardware revision, 23 ADR state.
 * Other lengths are refused (the vendor passes them through undecoded).
 */
import { checkInput, requireLength, uint32le } from '../bytes';
import { CodecError, CodecId, DecodedReading, DecodeInput, SensorCodec } from '../types';

const ID: CodecId = 'kuando-busylight';

/** What a Busylight shows: its colour and blink, as its downlink sets them. */
export interface BusylightShows {
  red: number;
  green: number;
  blue: number;
  onTime: number;
  offTime: number;
}

function int32le(bytes: Uint8Array, i: number): number {
  return bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
}

function decode(input: DecodeInput): DecodedReading {
  checkInput(ID, input);
  if (input.fPort === 0) throw new CodecError('unknown_port', ID, 'fPort 0 carries MAC commands only');
  const b = input.bytes;
  if (b.length === 0) throw new CodecError('empty_payload', ID);
  requireLength(ID, b, 24, 24, 'status');
  const vendor = {
    RSSI: int32le(b, 0),
    SNR: int32le(b, 4),
    messages_received: uint32le(b, 8),
    messages_send: uint32le(b, 12),
    lastcolor_red: b[16],
    lastcolor_blue: b[17],
    lastcolor_green: b[18],
    lastcolor_ontime: b[19],
    lastcolor_offtime: b[20],
    sw_rev: b[21],
    hw_rev: b[22],
    adr_state: b[23],
  };
  const shows: BusylightShows = { red: b[16], green: b[18], blue: b[17], onTime: b[19], offTime: b[20] };
  return {
    occupied: 'unknown',
    frameType: 'display_status',
    extra: {
      shows,
      downlinkRssi: vendor.RSSI,
      downlinkSnr: vendor.SNR,
      messagesReceived: vendor.messages_received,
      messagesSent: vendor.messages_send,
      softwareRevision: vendor.sw_rev,
      hardwareRevision: vendor.hw_rev,
      adr: vendor.adr_state === 1,
    },
    vendor,
  };
}

export const kuandoBusylight: SensorCodec = {
  id: ID,
  name: 'Kuando Busylight IoT (LoRaWAN, class C display)',
  // Assumption: the light reports its status about hourly; allow 2 missed reports.
  defaultHeartbeatSeconds: 2 * 3600,
  decode,
};
