import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  MAINTENANCE_REASON_MAX,
  OCCUPANCY_RPC,
  Page,
  SITE_CATEGORIES,
  SPACE_STATES,
  SPACE_TAGS_MAX,
  SPACE_TYPES,
  SpaceInput,
  SpaceView,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { RequestReader } from '../rpc/request-reader';
import { readId } from '../sites/sites.rpc';
import { SpaceChanges, SpacesUseCases } from './spaces.use-cases';

const TAG = /^[A-Za-z0-9_.:-]{1,64}$/;
export const CODE = /^[A-Za-z0-9][A-Za-z0-9_.\-/ ]{0,63}$/;
export const CODE_HINT = 'must be 1 to 64 letters, digits, spaces or _ . - / (starting with a letter or digit)';
/** Upper or lower case, with or without `-` / `:` separators; stored as 16 lower-case hex digits. */
const DEV_EUI = /^[0-9a-f]{16}$/;

/** `70-B3-D5-…` or `70b3d5…` → 16 lower-case hex digits (a problem on `field` otherwise). */
export function readDevEui(input: RequestReader, field = 'devEui'): string {
  const raw = input.string(field, { max: 23 });
  const devEui = raw.replace(/[-:]/g, '').toLowerCase();
  if (raw && !DEV_EUI.test(devEui)) input.fail(field, 'must be 16 hex digits, optionally separated by - or :');
  return devEui;
}

export function readSpace(input: RequestReader, required: boolean): Partial<SpaceInput> {
  const space: Partial<SpaceInput> = {};
  if (required || input.has('code')) space.code = input.string('code', { max: 64, pattern: CODE, hint: CODE_HINT });
  const name = input.nullableString('name', { max: 200 });
  if (name !== undefined) space.name = name;
  const zoneId = input.nullableUuid('zoneId');
  if (zoneId !== undefined) space.zoneId = zoneId;
  const location = input.location();
  if (location !== undefined) space.location = location;
  space.category = input.oneOf('category', SITE_CATEGORIES);
  space.type = input.oneOf('type', SPACE_TYPES);
  space.tags = input.tags('tags', { max: SPACE_TAGS_MAX, pattern: TAG });
  const priceZone = input.nullableString('priceZone', { max: 64 });
  if (priceZone !== undefined) space.priceZone = priceZone;
  for (const key of Object.keys(space) as Array<keyof SpaceInput>) if (space[key] === undefined) delete space[key];
  return space;
}

@Controller()
export class SpacesRpc {
  constructor(private readonly spaces: SpacesUseCases) {}

  @RpcHandler(OCCUPANCY_RPC.createSpace)
  create(@Payload() payload: unknown): Promise<SpaceView> {
    const principal = authorised(payload, 'spaces:write');
    const input = new RequestReader(payload);
    const siteId = input.uuid('siteId');
    const space = readSpace(input, true) as SpaceInput;
    input.done();
    return this.spaces.create(principal, siteId, space);
  }

  @RpcHandler(OCCUPANCY_RPC.listSpaces)
  list(@Payload() payload: unknown): Promise<Page<SpaceView>> {
    const principal = authorised(payload, 'spaces:read');
    const input = new RequestReader(payload);
    const query = {
      ...input.page(),
      siteId: input.nullableUuid('siteId') ?? undefined,
      zoneId: input.nullableUuid('zoneId') ?? undefined,
      state: input.oneOf('state', SPACE_STATES),
      type: input.oneOf('type', SPACE_TYPES),
      tag: input.has('tag') ? input.string('tag', { max: 64, pattern: TAG, hint: `must match ${TAG.source}` }) : undefined,
    };
    input.done();
    return this.spaces.list(principal, query);
  }

  @RpcHandler(OCCUPANCY_RPC.getSpace)
  get(@Payload() payload: unknown): Promise<SpaceView> {
    const principal = authorised(payload, 'spaces:read');
    return this.spaces.get(principal, readId(payload, 'spaceId'));
  }

  @RpcHandler(OCCUPANCY_RPC.updateSpace)
  update(@Payload() payload: unknown): Promise<SpaceView> {
    const principal = authorised(payload, 'spaces:write');
    const input = new RequestReader(payload);
    const spaceId = input.uuid('spaceId');
    if (input.has('siteId')) input.fail('siteId', 'cannot change: a space stays in its site');
    const changes: SpaceChanges = { ...readSpace(input, false) };
    const version = input.int('version', { min: 1, max: 2 ** 31 - 1 });
    if (version !== undefined) changes.version = version;
    input.done();
    return this.spaces.update(principal, spaceId, changes);
  }

  @RpcHandler(OCCUPANCY_RPC.deleteSpace)
  remove(@Payload() payload: unknown): Promise<SpaceView> {
    const principal = authorised(payload, 'spaces:write');
    return this.spaces.remove(principal, readId(payload, 'spaceId'));
  }

  @RpcHandler(OCCUPANCY_RPC.assignSensor)
  assignSensor(@Payload() payload: unknown): Promise<SpaceView> {
    const principal = authorised(payload, 'spaces:write');
    const input = new RequestReader(payload);
    const spaceId = input.uuid('spaceId');
    const devEui = readDevEui(input);
    input.done();
    return this.spaces.assignSensor(principal, spaceId, devEui);
  }

  @RpcHandler(OCCUPANCY_RPC.unassignSensor)
  unassignSensor(@Payload() payload: unknown): Promise<SpaceView> {
    const principal = authorised(payload, 'spaces:write');
    return this.spaces.unassignSensor(principal, readId(payload, 'spaceId'));
  }

  @RpcHandler(OCCUPANCY_RPC.setMaintenance)
  setMaintenance(@Payload() payload: unknown): Promise<SpaceView> {
    const principal = authorised(payload, 'spaces:write');
    const input = new RequestReader(payload);
    const spaceId = input.uuid('spaceId');
    const reason = input.nullableString('reason', { max: MAINTENANCE_REASON_MAX }) ?? null;
    input.done();
    return this.spaces.setMaintenance(principal, spaceId, reason);
  }

  @RpcHandler(OCCUPANCY_RPC.clearMaintenance)
  clearMaintenance(@Payload() payload: unknown): Promise<SpaceView> {
    const principal = authorised(payload, 'spaces:write');
    return this.spaces.clearMaintenance(principal, readId(payload, 'spaceId'));
  }
}
