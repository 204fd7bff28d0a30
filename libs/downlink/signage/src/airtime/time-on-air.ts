/**
 * LoRa time on air, as Semtech's LoRa modem designer's guide (AN1200.13) gives it, for a
 * LoRaWAN frame: the application payload plus 13 bytes of MAC framing (MHDR 1, FHDR 7 without
 * FOpts, FPort 1, MIC 4). Downlinks carry no payload CRC; uplinks do.
 */
export interface LoraModulation {
  spreadingFactor: number;
  /** Hz: 125 000, 250 000 or 500 000. */
  bandwidth: number;
  /** Coding rate 4/(4 + n): n = 1 for 4/5, as LoRaWAN uses. */
  codingRate?: 1 | 2 | 3 | 4;
  preambleSymbols?: number;
}

export const LORAWAN_MAC_OVERHEAD_BYTES = 13;

/** Milliseconds a frame of `payloadBytes` (the application payload) spends on air. */
export function timeOnAirMs(payloadBytes: number, modulation: LoraModulation, direction: 'downlink' | 'uplink' = 'downlink'): number {
  const { spreadingFactor: sf, bandwidth } = modulation;
  if (!Number.isInteger(sf) || sf < 7 || sf > 12) throw new RangeError(`spreading factor must be 7–12, got ${sf}`);
  if (![125_000, 250_000, 500_000].includes(bandwidth)) throw new RangeError(`bandwidth must be 125, 250 or 500 kHz, got ${bandwidth} Hz`);
  const cr = modulation.codingRate ?? 1;
  const preamble = modulation.preambleSymbols ?? 8;
  const symbolMs = (2 ** sf / bandwidth) * 1000;
  // Low data rate optimisation: mandated above 16 ms symbols (SF11 and SF12 at 125 kHz).
  const lowDataRate = symbolMs > 16 ? 1 : 0;
  const crc = direction === 'uplink' ? 1 : 0;
  const length = payloadBytes + LORAWAN_MAC_OVERHEAD_BYTES;
  const payloadSymbols = 8 + Math.max(Math.ceil((8 * length - 4 * sf + 28 + 16 * crc) / (4 * (sf - 2 * lowDataRate))) * (cr + 4), 0);
  return (preamble + 4.25) * symbolMs + payloadSymbols * symbolMs;
}
