import { Controller } from '@nestjs/common';
import {
  CreateIntegrationRequest,
  CreateIntegrationResponse,
  DeleteIntegrationResponse,
  GetIntegrationResponse,
  IDENTITY_RPC,
  INTEGRATION_GRACE_DEFAULT_SECONDS,
  IntegrationLookupRequest,
  IntegrationLookupResponse,
  IntegrationRef,
  IntegrationSnapshotResponse,
  ListIntegrationsRequest,
  ListIntegrationsResponse,
  PAGE_SIZE_DEFAULT,
  ReportIntegrationDeliveriesRequest,
  ReportIntegrationDeliveriesResponse,
  RotateIntegrationRequest,
  RotateIntegrationResponse,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '@parking/service-runtime';
import { IntegrationSnapshotUseCase } from './integration-snapshot.use-case';
import { IntegrationsUseCases } from './integrations.use-cases';
import { RecordDeliveriesUseCase } from './record-deliveries.use-case';

// Replies carry tokens and HMAC secrets: never log them.
@Controller()
export class IntegrationsRpc {
  constructor(
    private readonly integrations: IntegrationsUseCases,
    private readonly snapshotUseCase: IntegrationSnapshotUseCase,
    private readonly deliveries: RecordDeliveriesUseCase,
  ) {}

  @RpcHandler(IDENTITY_RPC.createIntegration)
  create(request: CreateIntegrationRequest, context: ReceivedRpcContext): Promise<CreateIntegrationResponse> {
    return this.integrations.create(principalOf(context), request.name);
  }

  @RpcHandler(IDENTITY_RPC.listIntegrations)
  list(request: ListIntegrationsRequest, context: ReceivedRpcContext): Promise<ListIntegrationsResponse> {
    return this.integrations.list(principalOf(context), { cursor: request.cursor, limit: request.limit ?? PAGE_SIZE_DEFAULT });
  }

  @RpcHandler(IDENTITY_RPC.getIntegration)
  get(request: IntegrationRef, context: ReceivedRpcContext): Promise<GetIntegrationResponse> {
    return this.integrations.get(principalOf(context), request.integrationId);
  }

  @RpcHandler(IDENTITY_RPC.rotateIntegration)
  rotate(request: RotateIntegrationRequest, context: ReceivedRpcContext): Promise<RotateIntegrationResponse> {
    return this.integrations.rotate(principalOf(context), request.integrationId, request.graceSeconds ?? INTEGRATION_GRACE_DEFAULT_SECONDS);
  }

  @RpcHandler(IDENTITY_RPC.deleteIntegration)
  async delete(request: IntegrationRef, context: ReceivedRpcContext): Promise<DeleteIntegrationResponse> {
    await this.integrations.delete(principalOf(context), request.integrationId);
    return { ok: true };
  }

  @RpcHandler(IDENTITY_RPC.integrationSnapshot)
  snapshot(): Promise<IntegrationSnapshotResponse> {
    return this.snapshotUseCase.execute();
  }

  @RpcHandler(IDENTITY_RPC.lookupIntegration)
  lookup(request: IntegrationLookupRequest): Promise<IntegrationLookupResponse> {
    return this.snapshotUseCase.lookup({ tokenPrefix: request.tokenPrefix, integrationId: request.integrationId });
  }

  @RpcHandler(IDENTITY_RPC.reportIntegrationDeliveries)
  async report(request: ReportIntegrationDeliveriesRequest): Promise<ReportIntegrationDeliveriesResponse> {
    const reports = request.reports.map(({ integrationId, tenantId, lastReceivedAt, rejections }) => ({
      integrationId,
      tenantId,
      lastReceivedAt: lastReceivedAt === undefined ? undefined : new Date(lastReceivedAt),
      rejections: rejections.map(({ at, reason }) => ({ at, reason })),
    }));
    await this.deliveries.execute(reports);
    return { ok: true };
  }
}
