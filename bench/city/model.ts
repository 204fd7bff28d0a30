// The capacity model of `npm run bench:city`: what measured per-uplink costs imply for a city,
// and how evenly partitioned consumers share a city's load. Pure functions, unit-tested.
import { createHash } from 'node:crypto';

/** A city's uplink rate: every sensor once per `intervalSeconds` on average. */
export function cityRate(sensors: number, intervalSeconds: number): number {
  return sensors / intervalSeconds;
}

/**
 * Replicas of a component that carry `rate` uplinks a second when each costs `cpuMsPerUplink`
 * of one core and a replica may keep its core `utilisation` busy (headroom for bursts and GC).
 * A Node service is one thread: one core a replica.
 */
export function replicasFor(rate: number, cpuMsPerUplink: number, utilisation = 0.6): number {
  if (cpuMsPerUplink <= 0) return 1;
  return Math.max(1, Math.ceil((rate * cpuMsPerUplink) / (1000 * utilisation)));
}

/** Tenant sizes of a city: `tenants` operators whose sensors fall off as 1/rank^skew (Zipf), summing to `sensors`. */
export function zipfTenants(sensors: number, tenants: number, skew = 1): number[] {
  const weights = Array.from({ length: tenants }, (_, i) => 1 / (i + 1) ** skew);
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((w / total) * sensors));
  sizes[0] += sensors - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

/** The partition of a key among `partitions`, as a stable hash would place a subject token. */
export function partitionOf(key: string, partitions: number): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0) % partitions;
}

export interface PartitionSkew {
  partitions: number;
  /** The busiest partition's load over an even share (1 = perfectly even). */
  byTenant: number;
  bySpace: number;
}

/**
 * How unevenly `partitions` consumers share the load when subjects are partitioned by tenant
 * (a tenant's uplinks all go to one consumer) or by space, for a city of these tenant sizes
 * (every space's sensor sends at the same average rate).
 */
export function partitionSkew(tenantSizes: readonly number[], partitions: number): PartitionSkew {
  const byTenant = new Array<number>(partitions).fill(0);
  const bySpace = new Array<number>(partitions).fill(0);
  let total = 0;
  tenantSizes.forEach((size, tenant) => {
    byTenant[partitionOf(`tenant-${tenant}`, partitions)] += size;
    for (let space = 0; space < size; space++) bySpace[partitionOf(`tenant-${tenant}/space-${space}`, partitions)] += 1;
    total += size;
  });
  const even = total / partitions;
  return { partitions, byTenant: Math.max(...byTenant) / even, bySpace: Math.max(...bySpace) / even };
}
