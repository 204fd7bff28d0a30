import { Controller } from '@nestjs/common';
import {
  CHIRPSTACK_RPC,
  CONNECTION_PAGE_MAX,
  type ConnectionPage,
  type ConnectionRef,
  type ConnectionTestView,
  type ConnectionView,
  type CreateConnectionRequest,
  type ListConnectionsRequest,
  type ReceivedRpcContext,
  type UpdateConnectionRequest,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { ConnectionTestUseCase } from './connection-test.use-case';
import { ConnectionsUseCase } from './connections.use-case';

const PAGE_DEFAULT = 50;

@Controller()
export class ConnectionsRpc {
  constructor(
    private readonly connections: ConnectionsUseCase,
    private readonly tests: ConnectionTestUseCase,
  ) {}

  @RpcHandler(CHIRPSTACK_RPC.createConnection)
  create(request: CreateConnectionRequest, context: ReceivedRpcContext): Promise<ConnectionView> {
    return this.connections.create(authorised(context, 'chirpstack:write'), request);
  }

  @RpcHandler(CHIRPSTACK_RPC.listConnections)
  list(request: ListConnectionsRequest, context: ReceivedRpcContext): Promise<ConnectionPage> {
    return this.connections.list(authorised(context, 'chirpstack:read'), request, Math.min(request.limit ?? PAGE_DEFAULT, CONNECTION_PAGE_MAX));
  }

  @RpcHandler(CHIRPSTACK_RPC.getConnection)
  get(request: ConnectionRef, context: ReceivedRpcContext): Promise<ConnectionView> {
    return this.connections.get(authorised(context, 'chirpstack:read'), request.connectionId);
  }

  @RpcHandler(CHIRPSTACK_RPC.updateConnection)
  update(request: UpdateConnectionRequest, context: ReceivedRpcContext): Promise<ConnectionView> {
    const { connectionId, ...body } = request;
    return this.connections.update(authorised(context, 'chirpstack:write'), connectionId, body);
  }

  @RpcHandler(CHIRPSTACK_RPC.deleteConnection)
  remove(request: ConnectionRef, context: ReceivedRpcContext): Promise<ConnectionView> {
    return this.connections.remove(authorised(context, 'chirpstack:write'), request.connectionId);
  }

  @RpcHandler(CHIRPSTACK_RPC.testConnection)
  test(request: ConnectionRef, context: ReceivedRpcContext): Promise<ConnectionTestView> {
    return this.tests.test(authorised(context, 'chirpstack:write'), request.connectionId);
  }
}
