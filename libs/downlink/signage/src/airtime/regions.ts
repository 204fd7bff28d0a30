import type { LoraModulation } from './time-on-air';

/** An ETSI EN 300 220 sub-band: its frequencies and the share of time a transmitter may use it. */
export interface SubBand {
  name: string;
  fromHz: number;
  toHz: number;
  dutyCycle: number;
}

/**
 * EU868 sub-bands (ETSI EN 300 220-2, annex; the bands LoRaWAN's EU868 plan uses). RX2 at
 * 869.525 MHz falls in the 10 % band.
 */
export const EU868_SUB_BANDS: readonly SubBand[] = [
  { name: 'h1.2 863.0–865.0 MHz', fromHz: 863_000_000, toHz: 865_000_000, dutyCycle: 0.001 },
  { name: 'h1.3 865.0–868.0 MHz', fromHz: 865_000_000, toHz: 868_000_000, dutyCycle: 0.01 },
  { name: 'h1.4 868.0–868.6 MHz', fromHz: 868_000_000, toHz: 868_600_000, dutyCycle: 0.01 },
  { name: 'h1.5 868.7–869.2 MHz', fromHz: 868_700_000, toHz: 869_200_000, dutyCycle: 0.001 },
  { name: 'h1.6 869.4–869.65 MHz', fromHz: 869_400_000, toHz: 869_650_000, dutyCycle: 0.1 },
  { name: 'h1.7 869.7–870.0 MHz', fromHz: 869_700_000, toHz: 870_000_000, dutyCycle: 0.01 },
];

/** EU868 data rates (LoRaWAN Regional Parameters RP002): DR0–DR6 are LoRa. */
export const EU868_DATA_RATES: Readonly<Record<number, LoraModulation>> = {
  0: { spreadingFactor: 12, bandwidth: 125_000 },
  1: { spreadingFactor: 11, bandwidth: 125_000 },
  2: { spreadingFactor: 10, bandwidth: 125_000 },
  3: { spreadingFactor: 9, bandwidth: 125_000 },
  4: { spreadingFactor: 8, bandwidth: 125_000 },
  5: { spreadingFactor: 7, bandwidth: 125_000 },
  6: { spreadingFactor: 7, bandwidth: 250_000 },
};

/** EU868 class C downlinks go out on RX2: 869.525 MHz at DR0 unless the network configures another rate. */
export const EU868_RX2 = { frequencyHz: 869_525_000, dataRate: 0 } as const;

/** The sub-band a frequency falls in, or undefined outside every band (no transmission allowed there). */
export function subBandOf(frequencyHz: number, bands: readonly SubBand[] = EU868_SUB_BANDS): SubBand | undefined {
  return bands.find((band) => frequencyHz >= band.fromHz && frequencyHz < band.toHz);
}

/** The modulation of an EU868 data rate; a RangeError for one that is not LoRa. */
export function eu868Modulation(dataRate: number): LoraModulation {
  const modulation = EU868_DATA_RATES[dataRate];
  if (!modulation) throw new RangeError(`EU868 data rate must be DR0–DR6 (LoRa), got DR${dataRate}`);
  return modulation;
}
