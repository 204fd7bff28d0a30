import { Injectable } from '@nestjs/common';
import type { ConnectionCheck, ConnectionTestView, Principal } from '@parking/contracts';
import { ChirpStackClients } from '../chirpstack/chirpstack-clients';
import { callErrorOf, type ChirpStackCallError } from '../chirpstack/chirpstack-errors';
import { callTargetOf } from './connection-rows';
import { ConnectionsUseCase } from './connections.use-case';

const PROFILES_LISTED = 100;

/** What a failed call says about the connection, in words an operator can act on. */
function findingOf(error: ChirpStackCallError): string {
  switch (error.failure) {
    case 'refused':
      return 'ChirpStack refused the API token: give the connection a valid token (a tenant or admin API key)';
    case 'unavailable':
    case 'circuit_open':
      return `ChirpStack could not be reached at the API URL (${error.message})`;
    case 'timeout':
      return 'ChirpStack did not answer in time';
    case 'not_found':
      return 'ChirpStack does not know it';
    default:
      return error.message;
  }
}

/**
 * Calls ChirpStack with the connection's token and reports what it found: whether the API
 * answers and accepts the token, whether the application exists in the named ChirpStack
 * tenant, and whether each codec's device profile exists there. Failures are findings.
 */
@Injectable()
export class ConnectionTestUseCase {
  constructor(
    private readonly connections: ConnectionsUseCase,
    private readonly clients: ChirpStackClients,
  ) {}

  async test(principal: Principal, connectionId: string): Promise<ConnectionTestView> {
    const connection = await this.connections.withToken(principal, connectionId);
    const client = this.clients.for(callTargetOf(connection));
    const checks: ConnectionCheck[] = [];
    const report = (deviceProfilesFound: ConnectionTestView['deviceProfilesFound'] = []): ConnectionTestView => ({
      connectionId,
      ok: checks.every((check) => check.ok),
      checks,
      deviceProfilesFound,
      testedAt: new Date().toISOString(),
    });

    try {
      const application = await client.getApplication(connection.application_id);
      checks.push({ check: 'api', ok: true, detail: 'ChirpStack answers and accepts the token' });
      const sameTenant = application.tenantId === connection.chirpstack_tenant_id;
      checks.push({
        check: 'application',
        ok: sameTenant,
        detail: sameTenant
          ? `Application "${application.name}" of ChirpStack tenant ${application.tenantId}`
          : `Application "${application.name}" belongs to ChirpStack tenant ${application.tenantId}, not ${connection.chirpstack_tenant_id}`,
      });
    } catch (caught) {
      const error = callErrorOf('ApplicationService.Get', caught);
      if (error.failure !== 'not_found') {
        checks.push({ check: 'api', ok: false, detail: findingOf(error) });
        return report();
      }
      checks.push({ check: 'api', ok: true, detail: 'ChirpStack answers and accepts the token' });
      checks.push({ check: 'application', ok: false, detail: `ChirpStack has no application ${connection.application_id}` });
    }

    try {
      const { profiles } = await client.listDeviceProfiles(connection.chirpstack_tenant_id, { limit: PROFILES_LISTED, offset: 0 });
      const known = new Map(profiles.map((profile) => [profile.id, profile.name]));
      for (const [codec, profileId] of Object.entries(connection.device_profiles).sort(([a], [b]) => a.localeCompare(b))) {
        const name = known.get(profileId);
        checks.push({ check: `deviceProfile:${codec}`, ok: name !== undefined, detail: name ? `Device profile "${name}"` : `ChirpStack tenant ${connection.chirpstack_tenant_id} has no device profile ${profileId}` });
      }
      return report(profiles);
    } catch (caught) {
      checks.push({ check: 'deviceProfiles', ok: false, detail: `The device profiles could not be listed: ${findingOf(callErrorOf('DeviceProfileService.List', caught))}` });
      return report();
    }
  }
}
