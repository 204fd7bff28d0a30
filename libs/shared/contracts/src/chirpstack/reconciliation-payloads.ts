import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DRIFT_POLICIES, type DriftPolicy } from './connection-payloads';
import { UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { PageOf, PageQueryOf } from '../fields/paging';

export const RECONCILIATION_PAGE_MAX = 100;
/** Findings a run keeps (its counts cover everything). */
export const RECONCILIATION_FINDINGS_MAX = 500;

export const RECONCILIATION_FINDING_KINDS = ['missing', 'orphan', 'drift'] as const;
export type ReconciliationFindingKind = (typeof RECONCILIATION_FINDING_KINDS)[number];
/**
 * recreated: ours, missing in ChirpStack, created again. reported: told, nothing changed.
 * fixed: ChirpStack set back to our registry (platform-wins). adopted: ChirpStack's values go
 * to the registry (chirpstack-wins; the disabled flag and our id are only reported; a gateway's
 * name and description are taken here at once).
 */
export const RECONCILIATION_ACTIONS = ['recreated', 'reported', 'fixed', 'adopted'] as const;
export type ReconciliationAction = (typeof RECONCILIATION_ACTIONS)[number];

export class ReconcileRequest {
  @UuidField({ presence: 'optional', doc: { description: 'Reconcile this connection only; every connection of the tenant when absent' } })
  connectionId?: string;
}

/** A drifted field's value: text (name, description, ids; null when ChirpStack has none), a flag (disabled), or tags. */
const DRIFT_VALUE = [{ type: 'string', nullable: true }, { type: 'boolean' }, { type: 'object', additionalProperties: { type: 'string' } }];

export class DriftedField {
  @ApiProperty({ example: 'name', description: 'name, description, deviceProfileId, tags, disabled or platformDeviceId' }) field!: string;
  @ApiProperty({ oneOf: DRIFT_VALUE, example: 'Bay 12, level 2', description: 'What our registry holds' }) platform!: unknown;
  @ApiProperty({ oneOf: DRIFT_VALUE, example: 'Bay 12', description: 'What ChirpStack holds' }) chirpstack!: unknown;
}

export class ReconciliationFinding {
  @ApiPropertyOptional({ example: '70b3d54750100a1b', description: 'A device finding names its devEUI' }) devEui?: string;
  @ApiPropertyOptional({ example: '0016c001f153a14c', description: 'A LoRa gateway finding names its gateway id' }) gatewayId?: string;
  @ApiProperty({ enum: RECONCILIATION_FINDING_KINDS, example: 'drift' }) kind!: ReconciliationFindingKind;
  @ApiProperty({ enum: RECONCILIATION_ACTIONS, example: 'reported' }) action!: ReconciliationAction;
  @ApiPropertyOptional({ type: DriftedField, isArray: true, description: 'The fields that differ (drift only)' }) fields?: DriftedField[];
}

export class GatewayReconciliationCounts {
  @ApiProperty({ example: 12, description: "LoRa gateways ChirpStack holds in the connection's ChirpStack tenant" }) inChirpstack!: number;
  @ApiProperty({ example: 12, description: 'Gateways here in the connection' }) inRegistry!: number;
  @ApiProperty({ example: 0, description: 'Ours, missing in ChirpStack: created again' }) missing!: number;
  @ApiProperty({ example: 0, description: 'In ChirpStack, not registered here: reported' }) unknown!: number;
  @ApiProperty({ example: 1, description: 'Name or description differ' }) drifted!: number;
  @ApiProperty({ example: 0, description: 'Drifted gateways set back in ChirpStack (platform-wins) or here (chirpstack-wins)' }) fixed!: number;
}

export class ReconciliationCounts {
  @ApiProperty({ example: 412, description: "Devices ChirpStack holds in the connection's applications" }) inChirpstack!: number;
  @ApiProperty({ example: 410, description: 'Devices of the registry in the connection' }) inRegistry!: number;
  @ApiProperty({ example: 1 }) missing!: number;
  @ApiProperty({ example: 3 }) orphans!: number;
  @ApiProperty({ example: 2 }) drifted!: number;
  @ApiProperty({ example: 0, description: 'Drifted devices set back in ChirpStack (platform-wins) or whose values went to the registry (chirpstack-wins)' }) fixed!: number;
  @ApiProperty({ example: 200, description: 'Devices read whole (Get) to compare what the list leaves out' }) inspected!: number;
  @ApiProperty({ type: GatewayReconciliationCounts }) gateways!: GatewayReconciliationCounts;
}

export class ReconciliationRunView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) connectionId!: string;
  @ApiProperty({ enum: ['schedule', 'request'], example: 'request' }) trigger!: 'schedule' | 'request';
  @ApiProperty({ enum: DRIFT_POLICIES, example: 'report-only' }) policy!: DriftPolicy;
  @ApiProperty({ enum: ['running', 'completed', 'failed'], example: 'completed' }) status!: 'running' | 'completed' | 'failed';
  @ApiProperty({ type: ReconciliationCounts }) counts!: ReconciliationCounts;
  @ApiProperty({ type: ReconciliationFinding, isArray: true, description: `What the run found, the first ${RECONCILIATION_FINDINGS_MAX}` }) findings!: ReconciliationFinding[];
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why the run failed' }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) finishedAt!: string | null;
}

export class ReconcileAnswer {
  @ApiProperty({ type: ReconciliationRunView, isArray: true, description: 'One run per connection reconciled' }) runs!: ReconciliationRunView[];
}

export class ListReconciliationRunsRequest extends PageQueryOf(RECONCILIATION_PAGE_MAX) {
  @UuidField({ presence: 'optional', doc: { description: 'Runs of this connection only' } }) connectionId?: string;
}
export class ReconciliationRunPage extends PageOf(ReconciliationRunView) {}
export class ReconciliationRunRef {
  @UuidField() runId!: string;
}
