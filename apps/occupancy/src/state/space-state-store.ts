import { Injectable } from '@nestjs/common';
import { OccupancyEvents, SpaceReading, SpaceState } from '@parking/contracts';
import { OutboxWriter } from '@parking/messaging';
import { OccupancySql, Prisma } from '@parking/occupancy/data-access';
import { SpaceInput, SpaceMachineState, stepSpace, StepResult, Transition } from '@parking/occupancy/state-machine';
import { StatsRecorder } from '../stats/stats-recorder';
import { AvailabilityCounter, CountChange } from './availability-counts';

/** A space's state row, locked for the rest of the transaction, with where it counts. */
export interface LockedSpace {
  tenantId: string;
  spaceId: string;
  siteId: string;
  zoneId: string | null;
  /** The space's zone and its ancestors; empty outside any zone. */
  zonePath: string[];
  /** The site's IANA time zone (statistics count its local hours and days). */
  timeZone: string;
  machine: SpaceMachineState;
  lastReadingAt: Date | null;
  /** When the space entered its current state. */
  changedAt: Date;
}

interface StateRow {
  space_id: string;
  tenant_id: string;
  site_id: string;
  zone_id: string | null;
  zone_path: string[] | null;
  time_zone: string;
  changed_at: Date;
  state: SpaceState;
  sensor_occupied: boolean | null;
  sensor_silent: boolean;
  reading_dev_eui: string | null;
  reading_session: bigint | null;
  reading_f_cnt: bigint | null;
  reading_sensor_time: Date | null;
  reading_received_at: Date | null;
  reading_deduplication_id: string | null;
  last_reading_at: Date | null;
  maintenance: boolean;
  maintenance_reason: string | null;
  reservation_active: boolean;
  version: bigint;
}

export interface ApplyContext {
  at?: Date;
  /** INGEST stream sequence of the uplink being applied. */
  streamSequence?: number;
}

/** One input of a sequence applied to one space, in order. */
export interface SequencedInput {
  input: SpaceInput;
  /** INGEST stream sequence, for readings. */
  streamSequence?: number;
}

/** One change of state, still to be stored and announced. */
export interface TransitionRecord {
  space: Pick<LockedSpace, 'tenantId' | 'spaceId' | 'siteId' | 'zoneId' | 'zonePath' | 'timeZone'>;
  transition: Transition;
  /** When the space entered the state it left (the statistics credit the time in between). */
  since: Date;
  reading: SpaceReading | null;
  version: number;
}

/** A space's state row as `step` left it, for `storeStates`. */
export interface StateWrite {
  spaceId: string;
  machine: SpaceMachineState;
  lastReadingAt: string | null;
  /** INGEST stream sequence of the newest reading applied; null keeps the stored one. */
  streamSequence: number | null;
  /** When the state changed; null keeps the stored time (no change of state). */
  changedAt: Date | null;
}

/** What a sequence did to a space: its changes of state and the count change they need (null when none). */
export interface SequenceResult {
  applied: number;
  transitions: TransitionRecord[];
  countChange: CountChange | null;
  last: StepResult | null;
}

function readingOf(row: StateRow): SpaceReading | null {
  if (row.reading_dev_eui === null || row.reading_received_at === null) return null;
  return {
    devEui: row.reading_dev_eui,
    session: row.reading_session === null ? null : Number(row.reading_session),
    fCnt: row.reading_f_cnt === null ? null : Number(row.reading_f_cnt),
    sensorTime: row.reading_sensor_time?.toISOString() ?? null,
    receivedAt: row.reading_received_at.toISOString(),
    deduplicationId: row.reading_deduplication_id,
  };
}

function lockedOf(row: StateRow): LockedSpace {
  return {
    tenantId: row.tenant_id,
    spaceId: row.space_id,
    siteId: row.site_id,
    zoneId: row.zone_id,
    zonePath: row.zone_path ?? [],
    timeZone: row.time_zone,
    lastReadingAt: row.last_reading_at,
    changedAt: row.changed_at,
    machine: {
      state: row.state,
      sensorOccupied: row.sensor_occupied,
      sensorSilent: row.sensor_silent,
      maintenance: row.maintenance,
      maintenanceReason: row.maintenance_reason,
      reservationActive: row.reservation_active,
      reading: readingOf(row),
      version: Number(row.version),
    },
  };
}

/**
 * Every change of a space's state goes through here: lock the row, run the pure state
 * machine, store the result, and in the same transaction the transitions, the counts and the
 * events. The lock serialises consumers, RPC commands and the timer on one space.
 */
@Injectable()
export class SpaceStateStore {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly counter: AvailabilityCounter,
    private readonly stats: StatsRecorder,
  ) {}

  /** Locks the space's state (FOR UPDATE); with `skipLocked`, null when someone else holds it. */
  async lock(tx: OccupancySql, spaceId: string, options: { skipLocked?: boolean } = {}): Promise<LockedSpace | null> {
    const [space] = await this.lockMany(tx, [spaceId], options);
    return space ?? null;
  }

  /** Locks several spaces' states in id order (the order every writer uses); unknown ids are left out. */
  async lockMany(tx: OccupancySql, spaceIds: readonly string[], options: { skipLocked?: boolean } = {}): Promise<LockedSpace[]> {
    if (spaceIds.length === 0) return [];
    const rows = await tx.$queryRaw<StateRow[]>`
      SELECT st.*, sp.site_id::text, sp.zone_id::text, z.path::text[] AS zone_path, si.time_zone
        FROM occupancy.space_state st
        JOIN occupancy.spaces sp ON sp.id = st.space_id
        JOIN occupancy.sites si ON si.id = sp.site_id
        LEFT JOIN occupancy.zones z ON z.id = sp.zone_id
       WHERE st.space_id = ANY (${[...spaceIds]}::uuid[])
       ORDER BY st.space_id
         FOR UPDATE OF st ${options.skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty}`;
    return rows.map(lockedOf);
  }

  /** Applies one input to a locked space; a change of state writes transition, counts and events. */
  async apply(tx: OccupancySql, space: LockedSpace, input: SpaceInput, context: ApplyContext = {}): Promise<StepResult> {
    const at = context.at ?? new Date();
    const result = await this.applySequence(tx, space, [{ input, streamSequence: context.streamSequence }], at);
    await this.recordTransitions(tx, result.transitions, at);
    if (result.countChange) await this.counter.apply(tx, space.tenantId, [result.countChange], at);
    return result.last as StepResult;
  }

  /**
   * Steps each locked space through its inputs, then stores every changed row, records the
   * transitions and changes each zone's and site's counts once. With the spaces locked first by
   * `lockMany` (in id order), this is the one order every batch writer takes its locks in: the
   * spaces, then the zones, then the sites (AvailabilityCounter, in id order), never a zone after
   * a site, so two writers never wait on each other in a cycle.
   */
  async applyToLocked(tx: OccupancySql, tenantId: string, work: ReadonlyArray<{ space: LockedSpace; inputs: readonly SequencedInput[] }>, at: Date): Promise<SequenceResult[]> {
    const results = work.map(({ space, inputs }) => this.step(space, inputs, at));
    await this.storeStates(tx, results.flatMap((result) => (result.write ? [result.write] : [])));
    await this.recordTransitions(tx, results.flatMap((result) => result.transitions), at);
    const changes = results.flatMap((result) => (result.countChange ? [result.countChange] : []));
    if (changes.length > 0) await this.counter.apply(tx, tenantId, changes, at);
    return results;
  }

  /** Applies inputs to one locked space and writes its state row (see `step` and `storeStates`). */
  async applySequence(tx: OccupancySql, space: LockedSpace, inputs: readonly SequencedInput[], at: Date): Promise<SequenceResult> {
    const result = this.step(space, inputs, at);
    if (result.write) await this.storeStates(tx, [result.write]);
    return result;
  }

  /**
   * Runs inputs through the state machine for a locked space, in order, in memory: the changes
   * of state for `recordTransitions`, the count change for the caller (`countChange`) and the
   * row to store (`write`, null when nothing applied). A batch steps all its spaces, then
   * stores every row in one statement and changes each zone's counts once.
   */
  step(space: LockedSpace, inputs: readonly SequencedInput[], at: Date): SequenceResult & { write: StateWrite | null } {
    const initial = space.machine;
    let machine = initial;
    let lastReadingAt = space.lastReadingAt?.toISOString() ?? null;
    let streamSequence: number | null = null;
    let applied = 0;
    let last: StepResult | null = null;
    let since = space.changedAt;
    const transitions: TransitionRecord[] = [];
    for (const { input, streamSequence: sequence } of inputs) {
      const result = stepSpace(machine, input);
      last = result;
      if (!result.applied) continue;
      applied++;
      if (input.kind === 'reading') {
        lastReadingAt = input.reading.receivedAt;
        streamSequence = sequence ?? streamSequence;
      }
      if (input.kind === 'sensor-cleared') lastReadingAt = null;
      machine = result.next;
      if (result.transition) {
        transitions.push({ space, transition: result.transition, since, reading: publicReading(machine), version: machine.version });
        since = at;
      }
    }
    if (applied === 0) return { applied, transitions, countChange: null, last, write: null };
    space.machine = machine;
    space.changedAt = since;
    space.lastReadingAt = lastReadingAt === null ? null : new Date(lastReadingAt);
    const countChange: CountChange | null =
      initial.state === machine.state
        ? null
        : { siteId: space.siteId, from: initial.state, to: machine.state, leftZones: space.zonePath, enteredZones: space.zonePath };
    const write: StateWrite = { spaceId: space.spaceId, machine, lastReadingAt, streamSequence, changedAt: transitions.length > 0 ? at : null };
    return { applied, transitions, countChange, last, write };
  }

  /** Stores the rows `step` produced, all in one statement. */
  async storeStates(tx: OccupancySql, writes: readonly StateWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const column = <T>(pick: (write: StateWrite) => T): T[] => writes.map(pick);
    await tx.$executeRaw`
      UPDATE occupancy.space_state st
         SET state = u.state,
             sensor_occupied = u.sensor_occupied,
             sensor_silent = u.sensor_silent,
             reading_dev_eui = u.reading_dev_eui,
             reading_session = u.reading_session,
             reading_f_cnt = u.reading_f_cnt,
             reading_sensor_time = u.reading_sensor_time,
             reading_received_at = u.reading_received_at,
             reading_deduplication_id = u.reading_deduplication_id,
             last_reading_at = u.last_reading_at,
             last_stream_sequence = COALESCE(u.last_stream_sequence, st.last_stream_sequence),
             maintenance = u.maintenance,
             maintenance_reason = u.maintenance_reason,
             reservation_active = u.reservation_active,
             changed_at = COALESCE(u.changed_at, st.changed_at),
             version = u.version
        FROM unnest(
               ${column((w) => w.spaceId)}::uuid[],
               ${column((w) => w.machine.state)}::text[],
               ${column((w) => w.machine.sensorOccupied)}::boolean[],
               ${column((w) => w.machine.sensorSilent)}::boolean[],
               ${column((w) => w.machine.reading?.devEui ?? null)}::text[],
               ${column((w) => w.machine.reading?.session ?? null)}::bigint[],
               ${column((w) => w.machine.reading?.fCnt ?? null)}::bigint[],
               ${column((w) => w.machine.reading?.sensorTime ?? null)}::timestamptz[],
               ${column((w) => w.machine.reading?.receivedAt ?? null)}::timestamptz[],
               ${column((w) => w.machine.reading?.deduplicationId ?? null)}::text[],
               ${column((w) => w.lastReadingAt)}::timestamptz[],
               ${column((w) => w.streamSequence)}::bigint[],
               ${column((w) => w.machine.maintenance)}::boolean[],
               ${column((w) => w.machine.maintenanceReason)}::text[],
               ${column((w) => w.machine.reservationActive)}::boolean[],
               ${column((w) => w.changedAt?.toISOString() ?? null)}::timestamptz[],
               ${column((w) => w.machine.version)}::bigint[]
             ) AS u(space_id, state, sensor_occupied, sensor_silent, reading_dev_eui, reading_session, reading_f_cnt,
                    reading_sensor_time, reading_received_at, reading_deduplication_id, last_reading_at, last_stream_sequence,
                    maintenance, maintenance_reason, reservation_active, changed_at, version)
       WHERE st.space_id = u.space_id`;
  }

  /**
   * Stores changes of state, adds them to the statistics rollups and announces each with
   * `occupancy.space.state_changed.v1`, in one statement each. Every transition is stored
   * here, so the rollups see all of them.
   */
  async recordTransitions(tx: OccupancySql, records: readonly TransitionRecord[], at: Date): Promise<void> {
    if (records.length === 0) return;
    await tx.$executeRaw`
      INSERT INTO occupancy.space_transitions (tenant_id, space_id, from_state, to_state, cause, reading, version, at)
      SELECT t.tenant_id, t.space_id, t.from_state, t.to_state, t.cause, t.reading, t.version, ${at}::timestamptz
        FROM unnest(${records.map((r) => r.space.tenantId)}::uuid[], ${records.map((r) => r.space.spaceId)}::uuid[],
                    ${records.map((r) => r.transition.from)}::text[], ${records.map((r) => r.transition.to)}::text[],
                    ${records.map((r) => r.transition.cause)}::text[], ${records.map((r) => (r.reading === null ? null : JSON.stringify(r.reading)))}::jsonb[],
                    ${records.map((r) => r.version)}::bigint[])
             WITH ORDINALITY AS t(tenant_id, space_id, from_state, to_state, cause, reading, version, n)
       ORDER BY t.n`;
    await this.stats.record(
      tx,
      records.map(({ space, transition, since }) => ({
        tenantId: space.tenantId,
        spaceId: space.spaceId,
        siteId: space.siteId,
        zonePath: space.zonePath,
        timeZone: space.timeZone,
        from: transition.from,
        to: transition.to,
        since,
        at,
      })),
    );
    await this.outbox.appendMany(
      tx,
      OccupancyEvents.SpaceStateChangedV1,
      records.map(({ space, transition, reading, version }) => ({
        tenantId: space.tenantId,
        aggregateId: space.spaceId,
        time: at,
        data: {
          tenantId: space.tenantId,
          spaceId: space.spaceId,
          siteId: space.siteId,
          zoneId: space.zoneId,
          from: transition.from,
          to: transition.to,
          cause: transition.cause,
          reading,
          changedAt: at.toISOString(),
          version,
        },
      })),
    );
  }
}

/** The reading as events and transitions show it (what the sensor said is in the state itself). */
function publicReading(machine: SpaceMachineState): SpaceReading | null {
  const held = machine.reading;
  return held
    ? { devEui: held.devEui, session: held.session, fCnt: held.fCnt, sensorTime: held.sensorTime, receivedAt: held.receivedAt, deduplicationId: held.deduplicationId }
    : null;
}
