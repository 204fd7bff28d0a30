import { cityRate, partitionOf, partitionSkew, replicasFor, zipfTenants } from './model';

describe('the city capacity model', () => {
  it('a million sensors every 5 minutes are about 3,300 uplinks a second', () => {
    expect(cityRate(1_000_000, 300)).toBeCloseTo(3_333.3, 1);
  });

  it('gives each component the replicas its measured cost needs at 60 % of a core each', () => {
    expect(replicasFor(3_333, 0.5)).toBe(3); // 1,667 core-ms a second over 600 a replica
    expect(replicasFor(3_333, 1.8, 0.6)).toBe(10);
    expect(replicasFor(10, 0.01)).toBe(1);
    expect(replicasFor(100, 0)).toBe(1);
  });

  it('splits a city among tenants by Zipf, every sensor counted once', () => {
    const sizes = zipfTenants(1_000_000, 40);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_000_000);
    expect(sizes[0]).toBeGreaterThan(sizes[1]);
    expect(sizes[1]).toBeGreaterThan(sizes[39]);
  });

  it('places a key on the same partition every time', () => {
    expect(partitionOf('tenant-7', 16)).toBe(partitionOf('tenant-7', 16));
    expect(partitionOf('tenant-7', 16)).toBeLessThan(16);
  });

  it('finds tenant-keyed partitions uneven for a city of unequal tenants, space-keyed ones nearly even', () => {
    const skew = partitionSkew(zipfTenants(200_000, 40), 8);
    expect(skew.byTenant).toBeGreaterThan(1.5);
    expect(skew.bySpace).toBeLessThan(1.05);
    expect(partitionSkew([100], 4).byTenant).toBe(4);
  });
});
