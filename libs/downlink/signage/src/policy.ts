import { DEFAULT_SIGNAGE_POLICY, type CountWish, type LightWish, type SignagePolicyLayer, type SignagePolicyRules, type SpaceState, type SpaceType } from '@parking/contracts';

/** The rules in force: the default, then the tenant's layer, then the site's; each names only what it changes. */
export function policyOf(...layers: Array<SignagePolicyLayer | null | undefined>): SignagePolicyRules {
  return layers.reduce<SignagePolicyRules>((rules, layer) => {
    if (!layer) return rules;
    const types = { ...rules.types };
    for (const [type, states] of Object.entries(layer.types ?? {}) as Array<[SpaceType, SignagePolicyRules['types'][SpaceType]]>) {
      types[type] = { ...types[type], ...states };
    }
    return { states: { ...rules.states, ...layer.states }, types, count: { ...rules.count, ...layer.count } };
  }, DEFAULT_SIGNAGE_POLICY);
}

/** What a bay light shows for its space's state, the space type's colour first. */
export function lightWishFor(rules: SignagePolicyRules, state: SpaceState, type?: SpaceType): LightWish {
  const rule = (type && rules.types[type]?.[state]) || rules.states[state];
  return { kind: 'light', colour: rule.colour, blink: rule.blink };
}

/**
 * What a count sign shows for `free` spaces (null when unknown): the count after the
 * operator's offset, and the full text at or below the threshold.
 */
export function countWishFor(rules: SignagePolicyRules, free: number | null, arrow: CountWish['arrow'] = 'none'): CountWish {
  const { count } = rules;
  if (free === null) return { kind: 'count', count: null, text: '', arrow: 'none', colour: count.unknown.colour, blink: count.unknown.blink };
  const shown = Math.max(0, free + count.offset);
  if (shown <= count.fullAt) return { kind: 'count', count: shown, text: count.fullText, arrow: 'none', colour: count.full.colour, blink: count.full.blink };
  return { kind: 'count', count: shown, text: '', arrow, colour: count.available.colour, blink: count.available.blink };
}
