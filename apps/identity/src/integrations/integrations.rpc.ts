import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CreateIntegrationResponse,
  DeleteIntegrationResponse,
  GetIntegrationResponse,
  IDENTITY_RPC,
  IntegrationRejection,
  IntegrationSnapshotResponse,
  ListIntegrationsResponse,
  ReportIntegrationDeliveriesResponse,
  RotateIntegrationResponse,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { readId } from '../api-keys/api-keys.rpc';
import { principalOf } from '../authorization/acting-principal';
import { RequestReader } from '../validation/request-reader';
import { IntegrationSnapshotUseCase } from './integration-snapshot.use-case';
import { IntegrationsUseCases } from './integrations.use-cases';
import { DeliveryReport, RecordDeliveriesUseCase } from './record-deliveries.use-case';

const DEFAULT_GRACE_SECONDS = 86_400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Replies carry tokens and HMAC secrets: never log them.
@Controller()
export class IntegrationsRpc {
  constructor(
    private readonly integrations: IntegrationsUseCases,
    private readonly snapshotUseCase: IntegrationSnapshotUseCase,
    private readonly deliveries: RecordDeliveriesUseCase,
  ) {}

  @RpcHandler(IDENTITY_RPC.createIntegration)
  create(@Payload() payload: unknown): Promise<CreateIntegrationResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const name = input.string('name', { max: 100 });
    input.done();
    return this.integrations.create(principal, name);
  }

  @RpcHandler(IDENTITY_RPC.listIntegrations)
  list(@Payload() payload: unknown): Promise<ListIntegrationsResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const page = input.page();
    input.done();
    return this.integrations.list(principal, page);
  }

  @RpcHandler(IDENTITY_RPC.getIntegration)
  get(@Payload() payload: unknown): Promise<GetIntegrationResponse> {
    return this.integrations.get(principalOf(payload), readId(payload, 'integrationId'));
  }

  @RpcHandler(IDENTITY_RPC.rotateIntegration)
  rotate(@Payload() payload: unknown): Promise<RotateIntegrationResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const id = input.uuid('integrationId');
    const grace = input.optionalInt('graceSeconds', { min: 0, max: 7 * 86_400 }) ?? DEFAULT_GRACE_SECONDS;
    input.done();
    return this.integrations.rotate(principal, id, grace);
  }

  @RpcHandler(IDENTITY_RPC.deleteIntegration)
  async delete(@Payload() payload: unknown): Promise<DeleteIntegrationResponse> {
    await this.integrations.delete(principalOf(payload), readId(payload, 'integrationId'));
    return { ok: true };
  }

  @RpcHandler(IDENTITY_RPC.integrationSnapshot)
  snapshot(): Promise<IntegrationSnapshotResponse> {
    return this.snapshotUseCase.execute();
  }

  @RpcHandler(IDENTITY_RPC.reportIntegrationDeliveries)
  async report(@Payload() payload: unknown): Promise<ReportIntegrationDeliveriesResponse> {
    await this.deliveries.execute(readReports(payload));
    return { ok: true };
  }
}

function readReports(payload: unknown): DeliveryReport[] {
  const input = new RequestReader(payload);
  const raw = input.raw('reports');
  if (!Array.isArray(raw) || raw.length > 1000) input.fail('reports', 'must be a list of at most 1000 reports');
  const reports: DeliveryReport[] = [];
  for (const [i, item] of (Array.isArray(raw) ? raw : []).entries()) {
    const { integrationId, tenantId, lastReceivedAt, rejections } = (item ?? {}) as Record<string, unknown>;
    const received = typeof lastReceivedAt === 'string' ? new Date(lastReceivedAt) : undefined;
    const rejectionList = Array.isArray(rejections) ? rejections.filter(isRejection).slice(0, 100) : [];
    if (typeof integrationId !== 'string' || !UUID.test(integrationId) || typeof tenantId !== 'string' || !UUID.test(tenantId)) {
      input.fail(`reports[${i}]`, 'needs integrationId and tenantId as UUIDs');
      continue;
    }
    if (received && Number.isNaN(received.getTime())) input.fail(`reports[${i}].lastReceivedAt`, 'must be an RFC 3339 date-time');
    reports.push({ integrationId, tenantId, lastReceivedAt: received, rejections: rejectionList.map((r) => ({ at: r.at, reason: r.reason.slice(0, 100) })) });
  }
  input.done();
  return reports;
}

function isRejection(value: unknown): value is IntegrationRejection {
  const { at, reason } = (value ?? {}) as Record<string, unknown>;
  return typeof at === 'string' && !Number.isNaN(new Date(at).getTime()) && typeof reason === 'string' && reason.length > 0;
}
