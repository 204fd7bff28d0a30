import { Injectable } from '@nestjs/common';
import { DomainError } from '@parking/problem-details';
import { OccupancyTransaction } from '@parking/occupancy/data-access';
import { LockedSpace, SpaceStateStore } from '../state/space-state-store';

interface Assignment {
  space_id: string;
  code: string;
}

/** Which sensor lies under which space: each sensor under one space at most, each space over one sensor at most. */
@Injectable()
export class SensorAssignments {
  constructor(private readonly spaces: SpaceStateStore) {}

  /** Assigns `devEui` to the locked space; assigning the sensor it already has changes nothing. */
  async assign(tx: OccupancyTransaction, space: LockedSpace, devEui: string): Promise<void> {
    const sensors = await tx.$queryRaw<Array<{ kind: string }>>`
      SELECT kind FROM occupancy.sensors WHERE dev_eui = ${devEui} AND NOT removed`;
    if (sensors.length === 0) {
      throw new DomainError('NOT_FOUND', `No device with devEUI ${devEui} is registered in this tenant; register it in the device registry first.`);
    }
    if (sensors[0].kind !== 'sensor') {
      throw new DomainError('CONFLICT', `The device ${devEui} is a ${sensors[0].kind}, not a sensor; only sensors lie under spaces.`, { devEui });
    }
    const current = await tx.$queryRaw<Array<{ dev_eui: string }>>`
      SELECT dev_eui FROM occupancy.space_sensors WHERE space_id = ${space.spaceId}::uuid`;
    if (current[0]?.dev_eui === devEui) return;
    if (current[0]) {
      throw new DomainError(
        'CONFLICT',
        `The space already has the sensor ${current[0].dev_eui}; unassign it first (DELETE on the space's sensor).`,
        { devEui: current[0].dev_eui },
      );
    }
    const inserted = await tx.$queryRaw<Array<{ space_id: string }>>`
      INSERT INTO occupancy.space_sensors (space_id, tenant_id, dev_eui)
      VALUES (${space.spaceId}::uuid, ${space.tenantId}::uuid, ${devEui})
      ON CONFLICT (tenant_id, dev_eui) DO NOTHING
      RETURNING space_id::text`;
    if (inserted.length === 0) {
      const [other] = await tx.$queryRaw<Assignment[]>`
        SELECT ss.space_id::text, sp.code FROM occupancy.space_sensors ss JOIN occupancy.spaces sp ON sp.id = ss.space_id
         WHERE ss.dev_eui = ${devEui}`;
      throw new DomainError(
        'CONFLICT',
        `The sensor ${devEui} already lies under the space ${other ? `"${other.code}" (${other.space_id})` : 'another space'}; unassign it there first.`,
        { devEui, spaceId: other?.space_id ?? null },
      );
    }
  }

  /** Takes the sensor off the locked space; the space forgets its readings. False when it had none. */
  async unassign(tx: OccupancyTransaction, space: LockedSpace): Promise<boolean> {
    const deleted = await tx.$executeRaw`DELETE FROM occupancy.space_sensors WHERE space_id = ${space.spaceId}::uuid`;
    await this.spaces.apply(tx, space, { kind: 'sensor-cleared' });
    return deleted > 0;
  }

  /** A device left the registry: if no live device holds its devEUI any more, its space loses it. */
  async releaseIfGone(tx: OccupancyTransaction, devEui: string): Promise<void> {
    const [assignment] = await tx.$queryRaw<Array<{ space_id: string }>>`
      SELECT space_id::text FROM occupancy.space_sensors ss
       WHERE ss.dev_eui = ${devEui}
         AND NOT EXISTS (SELECT 1 FROM occupancy.sensors s WHERE s.dev_eui = ${devEui} AND NOT s.removed)`;
    if (!assignment) return;
    const space = await this.spaces.lock(tx, assignment.space_id);
    if (space) await this.unassign(tx, space);
  }
}
