import { Controller } from '@nestjs/common';
import { ImportInventoryRequest, ImportInventoryResponse, OCCUPANCY_IMPORT_RPC, type ReceivedRpcContext } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '@parking/service-runtime';
import { InventoryImportUseCase } from './inventory-import.use-case';

@Controller()
export class ImportRpc {
  constructor(private readonly importer: InventoryImportUseCase) {}

  @RpcHandler(OCCUPANCY_IMPORT_RPC.importInventory)
  import(request: ImportInventoryRequest, context: ReceivedRpcContext): Promise<ImportInventoryResponse> {
    const principal = principalOf(context);
    if (request.format === 'csv') return this.importer.execute(principal, { format: 'csv', text: request.text as string });
    const { sites, zones, spaces, assignments } = request;
    return this.importer.execute(principal, { format: 'json', sites, zones, spaces, assignments });
  }
}
