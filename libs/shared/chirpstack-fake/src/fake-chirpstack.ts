import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ApplicationServiceService } from '@chirpstack/chirpstack-api/api/application_grpc_pb';
import { DeviceServiceService } from '@chirpstack/chirpstack-api/api/device_grpc_pb';
import { DeviceProfileServiceService } from '@chirpstack/chirpstack-api/api/device_profile_grpc_pb';
import { GatewayServiceService } from '@chirpstack/chirpstack-api/api/gateway_grpc_pb';
import { deviceService } from './device-service';
import { applicationService, deviceProfileService } from './directory-services';
import { type Failure, Faults, type MethodSelector } from './faults';
import { gatewayService, gatewayStateOf, type GatewayStateName } from './gateway-service';
import { CallRunner, type FakeCall, methodName } from './rpc';
import {
  type ApplicationRecord,
  copyDevice,
  copyGateway,
  copyQueueItem,
  type DeviceKeysRecord,
  type DeviceProfileRecord,
  type DeviceRecord,
  FakeState,
  type GatewayRecord,
  type QueueItemRecord,
  stored,
} from './state';

export interface FakeChirpStackOptions {
  /** Bearer tokens accepted in the `authorization` metadata; default ['fake-token']. */
  tokens?: string[];
}

const SERVICES = [DeviceServiceService, GatewayServiceService, ApplicationServiceService, DeviceProfileServiceService];

/**
 * An in-process ChirpStack v4 gRPC API for tests, serving the generated service definitions of
 * @chirpstack/chirpstack-api. Methods are named `<Service>.<Method>` as in the gRPC path
 * (e.g. 'DeviceService.Create') by `fail`, `slow`, `calls` and `callsOf`.
 */
export class FakeChirpStack {
  private readonly knownMethods = new Set(SERVICES.flatMap((service) => Object.values(service).map(methodName)));

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
    private readonly state: FakeState,
    private readonly faults: Faults,
    private readonly runner: CallRunner,
    private readonly tokens: Set<string>,
  ) {}

  static async start(options: FakeChirpStackOptions = {}): Promise<FakeChirpStack> {
    const state = new FakeState();
    const faults = new Faults();
    const tokens = new Set(options.tokens ?? ['fake-token']);
    const runner = new CallRunner(tokens, faults);
    const server = new grpc.Server();
    server.addService(DeviceServiceService, runner.implement(DeviceServiceService, deviceService(state)));
    server.addService(GatewayServiceService, runner.implement(GatewayServiceService, gatewayService(state)));
    server.addService(
      ApplicationServiceService,
      runner.implement(ApplicationServiceService, applicationService(state)),
    );
    server.addService(
      DeviceProfileServiceService,
      runner.implement(DeviceProfileServiceService, deviceProfileService(state)),
    );
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    return new FakeChirpStack(server, port, state, faults, runner, tokens);
  }

  /** `127.0.0.1:<port>`, the target for a generated client. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get url(): string {
    return `http://${this.address}`;
  }

  async stop(): Promise<void> {
    this.runner.wake();
    this.server.forceShutdown();
  }

  // --- auth ---

  addToken(token: string): void {
    this.tokens.add(token);
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  // --- failure injection ---

  /** The next `failure.times` calls (default: all until `heal()`) answer `failure.code`. */
  fail(method: MethodSelector, failure: Failure): void {
    this.faults.fail(this.checked(method), failure);
  }

  /** Delays every answer by `ms`; the call's effect happens after the delay, even if the client gave up. */
  slow(method: MethodSelector, ms: number): void {
    this.faults.slow(this.checked(method), ms);
  }

  /** While on, every call answers UNAVAILABLE. */
  outage(on: boolean): void {
    this.faults.outage(on);
  }

  heal(): void {
    this.faults.heal();
  }

  /** Resolves once every call that has reached the server has been handled, delays included. */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  // --- recorded calls ---

  get calls(): FakeCall[] {
    return this.runner.calls;
  }

  callsOf(method: string): FakeCall[] {
    this.checked(method);
    return this.runner.calls.filter((call) => call.method === method);
  }

  clearCalls(): void {
    this.runner.calls.length = 0;
  }

  // --- state ---

  devices(): DeviceRecord[] {
    return [...this.state.devices.values()]
      .map(({ record }) => copyDevice(record))
      .sort((a, b) => a.devEui.localeCompare(b.devEui));
  }

  device(devEui: string): DeviceRecord | undefined {
    const entry = this.state.devices.get(devEui.toLowerCase());
    return entry && copyDevice(entry.record);
  }

  keys(devEui: string): DeviceKeysRecord | undefined {
    const entry = this.state.keys.get(devEui.toLowerCase());
    return entry && { ...entry.record };
  }

  queue(devEui: string): QueueItemRecord[] {
    return (this.state.queues.get(devEui.toLowerCase()) ?? []).map(copyQueueItem);
  }

  gateways(): GatewayRecord[] {
    return [...this.state.gateways.values()]
      .map(({ record }) => copyGateway(record))
      .sort((a, b) => a.gatewayId.localeCompare(b.gatewayId));
  }

  gateway(gatewayId: string): GatewayRecord | undefined {
    const entry = this.state.gateways.get(gatewayId.toLowerCase());
    return entry && copyGateway(entry.record);
  }

  /** The state ChirpStack's gateway list would report now. */
  gatewayState(gatewayId: string, now = new Date()): GatewayStateName | undefined {
    const entry = this.state.gateways.get(gatewayId.toLowerCase());
    return entry && gatewayStateOf(entry.record, now);
  }

  addApplication(application: Omit<ApplicationRecord, 'id'> & { id?: string }): string {
    const id = application.id ?? randomUUID();
    this.state.applications.set(id, stored({ id, tenantId: application.tenantId, name: application.name }));
    return id;
  }

  addDeviceProfile(profile: Omit<DeviceProfileRecord, 'id'> & { id?: string }): string {
    const id = profile.id ?? randomUUID();
    this.state.deviceProfiles.set(id, stored({ ...profile, id }));
    return id;
  }

  /** Writes a device as-is, bypassing validation, e.g. to seed drift or orphans. */
  putDevice(record: DeviceRecord): void {
    const devEui = record.devEui.toLowerCase();
    this.state.devices.set(devEui, stored(copyDevice({ ...record, devEui }), this.state.devices.get(devEui)));
  }

  /** Removes a device with its keys and queue, as if deleted outside the client under test. */
  removeDevice(devEui: string): boolean {
    return this.state.removeDevice(devEui.toLowerCase());
  }

  putKeys(devEui: string, keys: DeviceKeysRecord): void {
    const eui = devEui.toLowerCase();
    this.state.keys.set(eui, stored({ ...keys }, this.state.keys.get(eui)));
  }

  putGateway(record: GatewayRecord): void {
    const gatewayId = record.gatewayId.toLowerCase();
    this.state.gateways.set(
      gatewayId,
      stored(copyGateway({ ...record, gatewayId }), this.state.gateways.get(gatewayId)),
    );
  }

  removeGateway(gatewayId: string): boolean {
    return this.state.gateways.delete(gatewayId.toLowerCase());
  }

  setGatewayLastSeen(gatewayId: string, lastSeenAt: Date | undefined): void {
    const entry = this.state.gateways.get(gatewayId.toLowerCase());
    if (!entry) throw new Error(`no gateway ${gatewayId} in the fake`);
    if (lastSeenAt) entry.record.lastSeenAt = new Date(lastSeenAt);
    else delete entry.record.lastSeenAt;
  }

  private checked(method: MethodSelector): MethodSelector {
    if (method !== '*' && !this.knownMethods.has(method)) {
      throw new Error(`unknown method '${method}'; use '<Service>.<Method>', e.g. 'DeviceService.Create'`);
    }
    return method;
  }
}
