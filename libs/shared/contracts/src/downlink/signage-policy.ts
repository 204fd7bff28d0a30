import type { SpaceType } from '../occupancy/occupancy-fields';
import type { SpaceState } from '../occupancy/space-states';
import { COLOURS, type Blink, type Colour } from './display-wish';

/** What a bay light shows for a state. */
export interface LightRule {
  colour: Colour;
  blink: Blink;
}

/** How count signs (over a zone or a site) show the free spaces. */
export interface CountRule {
  /** Added to the free count before it is shown (negative keeps spaces back); never below 0. */
  offset: number;
  /** At or below this many free spaces (after the offset) the sign shows `fullText`. */
  fullAt: number;
  fullText: string;
  available: LightRule;
  full: LightRule;
  /** Shown, without a number, while the free count is unknown. */
  unknown: LightRule;
}

/**
 * A signage policy: the light for each state, per space type where it differs, and how count
 * signs read. A tenant's or site's policy names only what it changes; the rest is the default's.
 */
export interface SignagePolicyRules {
  states: Record<SpaceState, LightRule>;
  types: Partial<Record<SpaceType, Partial<Record<SpaceState, LightRule>>>>;
  count: CountRule;
}

const steady = (colour: Colour): LightRule => ({ colour, blink: 'steady' });

export const DEFAULT_SIGNAGE_POLICY: SignagePolicyRules = {
  states: { free: steady(COLOURS.green), occupied: steady(COLOURS.red), reserved: steady(COLOURS.blue), maintenance: steady(COLOURS.amber), unknown: steady(COLOURS.off) },
  types: {},
  count: { offset: 0, fullAt: 0, fullText: 'FULL', available: steady(COLOURS.green), full: steady(COLOURS.red), unknown: steady(COLOURS.off) },
};

/** What a tenant's or site's policy sets: any part of the rules; the rest comes from the layer below. */
export interface SignagePolicyLayer {
  states?: Partial<Record<SpaceState, LightRule>>;
  types?: Partial<Record<SpaceType, Partial<Record<SpaceState, LightRule>>>>;
  count?: Partial<CountRule>;
}
