import { Controller } from '@nestjs/common';
import {
  CHIRPSTACK_RPC,
  RECONCILIATION_PAGE_MAX,
  type ListReconciliationRunsRequest,
  type ReceivedRpcContext,
  type ReconcileAnswer,
  type ReconcileRequest,
  type ReconciliationRunPage,
  type ReconciliationRunRef,
  type ReconciliationRunView,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { ReconciliationUseCase } from './reconciliation.use-case';

const PAGE_DEFAULT = 50;

@Controller()
export class ReconciliationRpc {
  constructor(private readonly reconciliation: ReconciliationUseCase) {}

  @RpcHandler(CHIRPSTACK_RPC.reconcile)
  reconcile(request: ReconcileRequest, context: ReceivedRpcContext): Promise<ReconcileAnswer> {
    return this.reconciliation.reconcile(authorised(context, 'chirpstack:write'), request.connectionId);
  }

  @RpcHandler(CHIRPSTACK_RPC.listReconciliationRuns)
  list(request: ListReconciliationRunsRequest, context: ReceivedRpcContext): Promise<ReconciliationRunPage> {
    return this.reconciliation.list(authorised(context, 'chirpstack:read'), request, Math.min(request.limit ?? PAGE_DEFAULT, RECONCILIATION_PAGE_MAX));
  }

  @RpcHandler(CHIRPSTACK_RPC.getReconciliationRun)
  get(request: ReconciliationRunRef, context: ReceivedRpcContext): Promise<ReconciliationRunView> {
    return this.reconciliation.get(authorised(context, 'chirpstack:read'), request.runId);
  }
}
