import { GatewayServiceService } from '@chirpstack/chirpstack-api/api/gateway_grpc_pb';
import {
  Gateway,
  GatewayListItem,
  GatewayState,
  type GatewayStateMap,
  GetGatewayResponse,
  ListGatewaysResponse,
} from '@chirpstack/chirpstack-api/api/gateway_pb';
import { Location } from '@chirpstack/chirpstack-api/common/common_pb';
import { page, parseEui } from './device-service';
import { fillRecord, recordOf } from '@parking/chirpstack-records';
import { empty, timestamp } from './protobuf';
import { alreadyExists, type Handlers, invalidArgument, notFound } from './rpc';
import {
  DEFAULT_STATS_INTERVAL_SECONDS,
  type FakeState,
  type GatewayLocation,
  type GatewayRecord,
  stored,
} from './state';

export type GatewayStateName = keyof GatewayStateMap;

/** ChirpStack's rule: online while the last stats arrived within two stats intervals. */
export function gatewayStateOf(record: GatewayRecord, now = new Date()): GatewayStateName {
  if (!record.lastSeenAt) return 'NEVER_SEEN';
  const interval = record.statsInterval || DEFAULT_STATS_INTERVAL_SECONDS;
  return now.getTime() - record.lastSeenAt.getTime() <= 2 * interval * 1000 ? 'ONLINE' : 'OFFLINE';
}

function locationMessage(location: GatewayLocation): Location {
  const message = new Location();
  message.setLatitude(location.latitude);
  message.setLongitude(location.longitude);
  message.setAltitude(location.altitude);
  if (location.accuracy !== undefined) message.setAccuracy(location.accuracy);
  return message;
}

export function gatewayService(state: FakeState): Handlers<typeof GatewayServiceService> {
  const gatewayFrom = (message: Gateway | undefined, existing?: GatewayRecord): GatewayRecord => {
    if (!message) throw invalidArgument('gateway is missing');
    const record: GatewayRecord = {
      gatewayId: parseEui(message.getGatewayId(), 'gateway_id'),
      name: message.getName(),
      description: message.getDescription(),
      // An update does not move a gateway to another tenant.
      tenantId: existing?.tenantId ?? message.getTenantId(),
      tags: recordOf(message.getTagsMap()),
      metadata: recordOf(message.getMetadataMap()),
      statsInterval: message.getStatsInterval() || DEFAULT_STATS_INTERVAL_SECONDS,
    };
    const location = message.getLocation();
    if (location) {
      record.location = {
        latitude: location.getLatitude(),
        longitude: location.getLongitude(),
        altitude: location.getAltitude(),
        accuracy: location.getAccuracy(),
      };
    }
    if (existing?.lastSeenAt) record.lastSeenAt = existing.lastSeenAt;
    return record;
  };

  const existingGateway = (gatewayId: string) => {
    const gateway = state.gateways.get(gatewayId);
    if (!gateway) throw notFound(`gateway ${gatewayId}`);
    return gateway;
  };

  return {
    create(request) {
      const record = gatewayFrom(request.getGateway());
      if (state.gateways.has(record.gatewayId)) throw alreadyExists(`gateway ${record.gatewayId}`);
      state.gateways.set(record.gatewayId, stored(record));
      return empty();
    },

    // GetGatewayResponse has no state field; List items carry it.
    get(request) {
      const { record, createdAt, updatedAt } = existingGateway(parseEui(request.getGatewayId(), 'gateway_id'));
      const gateway = new Gateway();
      gateway.setGatewayId(record.gatewayId);
      gateway.setName(record.name);
      gateway.setDescription(record.description);
      gateway.setTenantId(record.tenantId);
      gateway.setStatsInterval(record.statsInterval || DEFAULT_STATS_INTERVAL_SECONDS);
      if (record.location) gateway.setLocation(locationMessage(record.location));
      fillRecord(gateway.getTagsMap(), record.tags);
      fillRecord(gateway.getMetadataMap(), record.metadata);
      const response = new GetGatewayResponse();
      response.setGateway(gateway);
      response.setCreatedAt(timestamp(createdAt));
      response.setUpdatedAt(timestamp(updatedAt));
      if (record.lastSeenAt) response.setLastSeenAt(timestamp(record.lastSeenAt));
      return response;
    },

    update(request) {
      const message = request.getGateway();
      if (!message) throw invalidArgument('gateway is missing');
      const previous = existingGateway(parseEui(message.getGatewayId(), 'gateway_id'));
      const record = gatewayFrom(message, previous.record);
      state.gateways.set(record.gatewayId, stored(record, previous));
      return empty();
    },

    delete(request) {
      const gatewayId = parseEui(request.getGatewayId(), 'gateway_id');
      if (!state.gateways.delete(gatewayId)) throw notFound(`gateway ${gatewayId}`);
      return empty();
    },

    list(request) {
      const tenantId = request.getTenantId();
      const search = request.getSearch().toLowerCase();
      const now = new Date();
      const matching = [...state.gateways.values()]
        .filter(({ record }) => !tenantId || record.tenantId === tenantId)
        .filter(({ record }) => !search || record.name.toLowerCase().includes(search))
        .sort((a, b) => a.record.gatewayId.localeCompare(b.record.gatewayId));
      const response = new ListGatewaysResponse();
      response.setTotalCount(matching.length);
      response.setResultList(
        page(matching, request.getLimit(), request.getOffset()).map(({ record, createdAt, updatedAt }) => {
          const item = new GatewayListItem();
          item.setTenantId(record.tenantId);
          item.setGatewayId(record.gatewayId);
          item.setName(record.name);
          item.setDescription(record.description);
          if (record.location) item.setLocation(locationMessage(record.location));
          fillRecord(item.getPropertiesMap(), record.metadata);
          item.setCreatedAt(timestamp(createdAt));
          item.setUpdatedAt(timestamp(updatedAt));
          if (record.lastSeenAt) item.setLastSeenAt(timestamp(record.lastSeenAt));
          item.setState(GatewayState[gatewayStateOf(record, now)]);
          return item;
        }),
      );
      return response;
    },
  };
}
