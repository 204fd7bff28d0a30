import { COLOURS, DEFAULT_SIGNAGE_POLICY, SPACE_STATES } from '@parking/contracts';
import { countWishFor, lightWishFor, policyOf } from './policy';

describe('signage policies', () => {
  it('maps each state as the default table says', () => {
    const rules = policyOf();
    const shown = Object.fromEntries(SPACE_STATES.map((state) => [state, lightWishFor(rules, state).colour]));
    expect(shown).toEqual({ free: COLOURS.green, occupied: COLOURS.red, reserved: COLOURS.blue, maintenance: COLOURS.amber, unknown: COLOURS.off });
  });

  it("layers a tenant's and a site's changes over the default, each naming only what it changes", () => {
    const tenant = { states: { occupied: { colour: COLOURS.white, blink: 'slow' as const } }, count: { fullAt: 2 } };
    const site = { states: { free: { colour: COLOURS.blue, blink: 'steady' as const } } };
    const rules = policyOf(tenant, site);
    expect(lightWishFor(rules, 'occupied')).toEqual({ kind: 'light', colour: COLOURS.white, blink: 'slow' });
    expect(lightWishFor(rules, 'free').colour).toEqual(COLOURS.blue);
    expect(lightWishFor(rules, 'reserved').colour).toEqual(COLOURS.blue);
    expect(rules.count).toEqual({ ...DEFAULT_SIGNAGE_POLICY.count, fullAt: 2 });
    expect(DEFAULT_SIGNAGE_POLICY.states.occupied.colour).toEqual(COLOURS.red);
  });

  it('gives a space type its own colour where the policy has one (accessible, EV bays)', () => {
    const rules = policyOf({ types: { disabled: { free: { colour: COLOURS.blue, blink: 'steady' } }, ev: { free: { colour: COLOURS.white, blink: 'slow' } } } });
    expect(lightWishFor(rules, 'free', 'disabled').colour).toEqual(COLOURS.blue);
    expect(lightWishFor(rules, 'free', 'ev')).toEqual({ kind: 'light', colour: COLOURS.white, blink: 'slow' });
    expect(lightWishFor(rules, 'occupied', 'ev').colour).toEqual(COLOURS.red);
    expect(lightWishFor(rules, 'free', 'standard').colour).toEqual(COLOURS.green);
  });

  it('shows the free count with the offset, FULL at or below the threshold, and nothing while unknown', () => {
    const rules = policyOf({ count: { offset: -2, fullAt: 1 } });
    expect(countWishFor(rules, 10, 'left')).toEqual({ kind: 'count', count: 8, text: '', arrow: 'left', colour: COLOURS.green, blink: 'steady' });
    expect(countWishFor(rules, 3)).toMatchObject({ count: 1, text: 'FULL', colour: COLOURS.red, arrow: 'none' });
    expect(countWishFor(rules, 0)).toMatchObject({ count: 0, text: 'FULL' });
    expect(countWishFor(rules, null)).toEqual({ kind: 'count', count: null, text: '', arrow: 'none', colour: COLOURS.off, blink: 'steady' });
  });
});
