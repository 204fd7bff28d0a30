import type { SpaceState, TransitionCause } from '@parking/contracts';
import { isNewerReading, SensorReading } from './reading-order';

/** The facts a space's displayed state is derived from. */
export interface SpaceFacts {
  /** What the sensor last said; null: no reading (yet, or since the sensor changed). */
  sensorOccupied: boolean | null;
  /** The sensor has not been heard within its timeout. */
  sensorSilent: boolean;
  /** An operator's override, sticky until cleared. */
  maintenance: boolean;
  reservationActive: boolean;
}

export interface SpaceMachineState extends SpaceFacts {
  state: SpaceState;
  /** The newest reading applied; later ones must be newer to apply. */
  reading: Omit<SensorReading, 'occupied'> | null;
  maintenanceReason: string | null;
  /** Grows by one with every change of `state`. */
  version: number;
}

export type SpaceInput =
  | { kind: 'reading'; reading: SensorReading }
  /** The silence timer found the sensor quiet past its timeout. */
  | { kind: 'silence' }
  | { kind: 'maintenance-set'; reason: string | null }
  | { kind: 'maintenance-cleared' }
  | { kind: 'reservation'; active: boolean }
  /** The sensor was unassigned (or removed from the registry): its readings no longer count. */
  | { kind: 'sensor-cleared' };

export interface Transition {
  from: SpaceState;
  to: SpaceState;
  cause: TransitionCause;
}

export interface StepResult {
  next: SpaceMachineState;
  /** False when the input changed nothing at all (a stale or duplicate reading, a repeated override). */
  applied: boolean;
  /** Set when the displayed state changed. */
  transition: Transition | null;
}

export const INITIAL_SPACE_STATE: SpaceMachineState = Object.freeze({
  state: 'unknown',
  sensorOccupied: null,
  sensorSilent: false,
  maintenance: false,
  maintenanceReason: null,
  reservationActive: false,
  reading: null,
  version: 1,
});

/**
 * Precedence: maintenance over everything; then a fresh sensor reading; a free space (or one
 * whose sensor cannot tell) with an active reservation shows reserved; without a fresh
 * reading the space is unknown.
 */
export function displayedState(facts: SpaceFacts): SpaceState {
  if (facts.maintenance) return 'maintenance';
  const fresh = facts.sensorSilent ? null : facts.sensorOccupied;
  if (fresh === true) return 'occupied';
  if (facts.reservationActive) return 'reserved';
  return fresh === false ? 'free' : 'unknown';
}

const CAUSE: Record<SpaceInput['kind'], TransitionCause> = {
  reading: 'sensor',
  silence: 'timeout',
  'maintenance-set': 'override',
  'maintenance-cleared': 'override',
  reservation: 'reservation',
  'sensor-cleared': 'override',
};

function changedFacts(current: SpaceMachineState, input: SpaceInput): Partial<SpaceMachineState> | null {
  switch (input.kind) {
    case 'reading': {
      if (!isNewerReading(input.reading, current.reading)) return null;
      const { occupied, ...reading } = input.reading;
      // A heartbeat (occupied null) proves the sensor alive and keeps what it said last.
      return { reading, sensorOccupied: occupied ?? current.sensorOccupied, sensorSilent: false };
    }
    case 'silence':
      return current.sensorSilent || current.reading === null ? null : { sensorSilent: true };
    case 'maintenance-set':
      return current.maintenance && current.maintenanceReason === input.reason ? null : { maintenance: true, maintenanceReason: input.reason };
    case 'maintenance-cleared':
      return current.maintenance ? { maintenance: false, maintenanceReason: null } : null;
    case 'reservation':
      return current.reservationActive === input.active ? null : { reservationActive: input.active };
    case 'sensor-cleared':
      return current.reading === null && current.sensorOccupied === null && !current.sensorSilent
        ? null
        : { reading: null, sensorOccupied: null, sensorSilent: false };
  }
}

/** One input applied to one space: pure, so every rule is testable without a database. */
export function stepSpace(current: SpaceMachineState, input: SpaceInput): StepResult {
  const changes = changedFacts(current, input);
  if (changes === null) return { next: current, applied: false, transition: null };
  const merged = { ...current, ...changes };
  const state = displayedState(merged);
  if (state === current.state) return { next: { ...merged, state }, applied: true, transition: null };
  return {
    next: { ...merged, state, version: current.version + 1 },
    applied: true,
    transition: { from: current.state, to: state, cause: CAUSE[input.kind] },
  };
}
