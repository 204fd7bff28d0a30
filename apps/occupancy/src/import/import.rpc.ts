import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ImportInventoryResponse, OCCUPANCY_IMPORT_LISTS, OCCUPANCY_IMPORT_RPC } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '@parking/service-runtime';
import { RequestReader } from '../rpc/request-reader';
import { InventoryImportUseCase } from './inventory-import.use-case';

@Controller()
export class ImportRpc {
  constructor(private readonly importer: InventoryImportUseCase) {}

  @RpcHandler(OCCUPANCY_IMPORT_RPC.importInventory)
  import(@Payload() payload: unknown): Promise<ImportInventoryResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const format = input.requiredOneOf('format', ['csv', 'json'] as const);
    const body = (payload ?? {}) as Record<string, unknown>;
    const allowed = ['principal', 'format', ...(format === 'csv' ? ['text'] : OCCUPANCY_IMPORT_LISTS)];
    for (const key of Object.keys(body)) if (!allowed.includes(key)) input.fail(key, `is not part of a ${format} import`);
    if (format === 'csv' && typeof body.text !== 'string') input.fail('text', 'must be the CSV file as a string');
    input.done();
    if (format === 'csv') return this.importer.execute(principal, { format, text: body.text as string });
    return this.importer.execute(principal, { format, ...Object.fromEntries(OCCUPANCY_IMPORT_LISTS.map((list) => [list, body[list]])) });
  }
}
