import { Inject, Injectable } from '@nestjs/common';
import type { BindDisplayBody, DisplayView, ListDisplaysRequest, Page, Principal, UpdateDisplayBody } from '@parking/contracts';
import { Prisma, type DownlinkDatabase } from '@parking/downlink/data-access';
import { displayCodecById } from '@parking/downlink/signage';
import { DomainError, NotFoundError, ValidationFailedError } from '@parking/problem-details';
import { afterCursor, keysetColumns, TENANT_DATABASE, toPage, whereAll } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { SignPlanner } from '../queue/sign-planner';
import { DISPLAY_COLUMNS, displayView, findDisplay, siteOfPlace, type DisplayRow } from './display-rows';

/**
 * Displays: a device registered in ingest with kind `display`, bound to a space (a bay light) or
 * a zone or site (a count sign). Binding or rebinding plans what it should show at once.
 */
@Injectable()
export class DisplaysUseCase {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    private readonly planner: SignPlanner,
  ) {}

  bind(principal: Principal, body: BindDisplayBody): Promise<DisplayView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const [device] = await tx.$queryRaw<Array<{ id: string; kind: string; codec: string | null }>>`
        SELECT id, kind, codec FROM downlink.devices WHERE dev_eui = ${body.devEui} AND NOT removed`;
      if (!device) throw new NotFoundError('Device', body.devEui);
      if (device.kind !== 'display') {
        throw new ValidationFailedError([{ field: 'devEui', message: `device ${body.devEui} is registered with kind ${device.kind}; register it with kind display to bind it` }]);
      }
      if (!device.codec || !displayCodecById(device.codec)) {
        throw new ValidationFailedError([{ field: 'devEui', message: `device ${body.devEui} has codec ${device.codec ?? 'none'}, which is not a display codec (kuando-busylight, count-display)` }]);
      }
      const siteId = await siteOfPlace(tx, body.target, body.targetId);
      const id = randomUUID();
      const [bound] = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO downlink.displays (id, tenant_id, device_id, dev_eui, codec, name, target_kind, target_id, site_id, arrow)
        VALUES (${id}::uuid, ${principal.tenantId}::uuid, ${device.id}::uuid, ${body.devEui}, ${device.codec}, ${body.name}, ${body.target},
                ${body.targetId}::uuid, ${siteId}::uuid, ${body.arrow ?? 'none'})
        ON CONFLICT (tenant_id, device_id) DO NOTHING
        RETURNING id`;
      if (!bound) {
        const [existing] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM downlink.displays WHERE device_id = ${device.id}::uuid`;
        throw new DomainError('CONFLICT', `Device ${body.devEui} is bound already, as display ${existing?.id}; change or unbind that one.`, { displayId: existing?.id });
      }
      await this.planner.planDisplay(tx, id);
      return displayView(await findDisplay(tx, id));
    });
  }

  list(principal: Principal, query: ListDisplaysRequest, limit: number): Promise<Page<DisplayView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const where = [...afterCursor('d', query.cursor)];
      if (query.siteId) where.push(Prisma.sql`d.site_id = ${query.siteId}::uuid`);
      if (query.targetId) where.push(Prisma.sql`d.target_id = ${query.targetId}::uuid`);
      if (query.faulty === 'true') where.push(Prisma.sql`d.faulty_at IS NOT NULL`);
      if (query.faulty === 'false') where.push(Prisma.sql`d.faulty_at IS NULL`);
      const rows = await tx.$queryRaw<Array<DisplayRow & { key_id: string; key_micros: string }>>`
        SELECT ${DISPLAY_COLUMNS}, ${keysetColumns('d')} FROM downlink.displays d ${whereAll(where)} ORDER BY d.created_at, d.id LIMIT ${limit + 1}`;
      return toPage(rows, limit, displayView);
    });
  }

  get(principal: Principal, id: string): Promise<DisplayView> {
    return this.db.withTenant(principal.tenantId, async (tx) => displayView(await findDisplay(tx, id)));
  }

  /** Rebinds it whole (name, target, arrow); what it shows follows at once. */
  update(principal: Principal, id: string, body: UpdateDisplayBody): Promise<DisplayView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const row = await findDisplay(tx, id, true);
      if (body.version !== undefined && body.version !== row.version) {
        throw new DomainError('CONFLICT', `The display is at version ${row.version}, not ${body.version}; read it again and retry.`, { version: row.version });
      }
      const siteId = await siteOfPlace(tx, body.target, body.targetId);
      await tx.$executeRaw`
        UPDATE downlink.displays SET name = ${body.name}, target_kind = ${body.target}, target_id = ${body.targetId}::uuid, site_id = ${siteId}::uuid,
               arrow = ${body.arrow ?? 'none'}, version = version + 1, updated_at = now()
         WHERE id = ${id}::uuid`;
      await this.planner.planDisplay(tx, id);
      return displayView(await findDisplay(tx, id));
    });
  }

  /** Forgets the display with its queue and history; the sign keeps what it shows. Answers it as it was. */
  unbind(principal: Principal, id: string): Promise<DisplayView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const row = await findDisplay(tx, id, true);
      await tx.$executeRaw`DELETE FROM downlink.displays WHERE id = ${id}::uuid`;
      return displayView(row);
    });
  }

  /** Sends what it should show again, even a frame it is known to show (a sign that was power-cycled). */
  refresh(principal: Principal, id: string): Promise<DisplayView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await findDisplay(tx, id);
      await this.planner.planDisplay(tx, id, 'refresh');
      return displayView(await findDisplay(tx, id));
    });
  }
}
