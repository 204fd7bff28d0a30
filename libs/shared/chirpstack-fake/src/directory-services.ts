import { ApplicationServiceService } from '@chirpstack/chirpstack-api/api/application_grpc_pb';
import { Application, GetApplicationResponse } from '@chirpstack/chirpstack-api/api/application_pb';
import { DeviceProfileServiceService } from '@chirpstack/chirpstack-api/api/device_profile_grpc_pb';
import {
  DeviceProfile,
  DeviceProfileListItem,
  GetDeviceProfileResponse,
  ListDeviceProfilesResponse,
} from '@chirpstack/chirpstack-api/api/device_profile_pb';
import { Region } from '@chirpstack/chirpstack-api/common/common_pb';
import { page } from './device-service';
import { timestamp } from './protobuf';
import { type Handlers, notFound } from './rpc';
import type { FakeState } from './state';

/** Only Get: enough for a client to check its connection and its application id. */
export function applicationService(state: FakeState): Handlers<typeof ApplicationServiceService> {
  return {
    get(request) {
      const entry = state.applications.get(request.getId());
      if (!entry) throw notFound(`application ${request.getId()}`);
      const application = new Application();
      application.setId(entry.record.id);
      application.setTenantId(entry.record.tenantId);
      application.setName(entry.record.name);
      const response = new GetApplicationResponse();
      response.setApplication(application);
      response.setCreatedAt(timestamp(entry.createdAt));
      response.setUpdatedAt(timestamp(entry.updatedAt));
      return response;
    },
  };
}

export function deviceProfileService(state: FakeState): Handlers<typeof DeviceProfileServiceService> {
  return {
    get(request) {
      const entry = state.deviceProfiles.get(request.getId());
      if (!entry) throw notFound(`device profile ${request.getId()}`);
      const profile = new DeviceProfile();
      profile.setId(entry.record.id);
      profile.setTenantId(entry.record.tenantId);
      profile.setName(entry.record.name);
      profile.setRegion(Region[entry.record.region ?? 'EU868']);
      const response = new GetDeviceProfileResponse();
      response.setDeviceProfile(profile);
      response.setCreatedAt(timestamp(entry.createdAt));
      response.setUpdatedAt(timestamp(entry.updatedAt));
      return response;
    },

    list(request) {
      const tenantId = request.getTenantId();
      const search = request.getSearch().toLowerCase();
      const matching = [...state.deviceProfiles.values()]
        .filter(({ record }) => !tenantId || record.tenantId === tenantId)
        .filter(({ record }) => !search || record.name.toLowerCase().includes(search))
        .sort((a, b) => a.record.name.localeCompare(b.record.name));
      const response = new ListDeviceProfilesResponse();
      response.setTotalCount(matching.length);
      response.setResultList(
        page(matching, request.getLimit(), request.getOffset()).map(({ record, createdAt, updatedAt }) => {
          const item = new DeviceProfileListItem();
          item.setId(record.id);
          item.setName(record.name);
          item.setRegion(Region[record.region ?? 'EU868']);
          item.setCreatedAt(timestamp(createdAt));
          item.setUpdatedAt(timestamp(updatedAt));
          return item;
        }),
      );
      return response;
    },
  };
}
