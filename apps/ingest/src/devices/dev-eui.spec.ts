import { normaliseDevEui } from './dev-eui';

describe('normaliseDevEui', () => {
  it.each([
    ['70b3d54750100a1b', '70b3d54750100a1b'],
    ['70B3D54750100A1B', '70b3d54750100a1b'],
    ['70-B3-D5-47-50-10-0A-1B', '70b3d54750100a1b'],
    ['70:b3:d5:47:50:10:0a:1b', '70b3d54750100a1b'],
    [' 70b3d54750100a1b ', '70b3d54750100a1b'],
  ])('reads %j as %s', (input, expected) => {
    expect(normaliseDevEui(input)).toBe(expected);
  });

  it.each(['70b3d54750100a1', '70b3d54750100a1bc', '70b3d54750100a1g', '70--b3d54750100a1b', '0x70b3d54750100a', '', 42, null])('refuses %j', (input) => {
    expect(normaliseDevEui(input)).toBeUndefined();
  });
});
