import { ApplicationServiceClient } from '@chirpstack/chirpstack-api/api/application_grpc_pb';
import { GetApplicationRequest, type GetApplicationResponse } from '@chirpstack/chirpstack-api/api/application_pb';
import { DeviceServiceClient } from '@chirpstack/chirpstack-api/api/device_grpc_pb';
import {
  CreateDeviceKeysRequest,
  CreateDeviceRequest,
  DeleteDeviceRequest,
  EnqueueDeviceQueueItemRequest,
  type EnqueueDeviceQueueItemResponse,
  FlushDeviceQueueRequest,
  GetDeviceQueueItemsRequest,
  type GetDeviceQueueItemsResponse,
  GetDeviceRequest,
  type GetDeviceResponse,
  ListDevicesRequest,
  type ListDevicesResponse,
  UpdateDeviceKeysRequest,
  UpdateDeviceRequest,
} from '@chirpstack/chirpstack-api/api/device_pb';
import { DeviceProfileServiceClient } from '@chirpstack/chirpstack-api/api/device_profile_grpc_pb';
import { ListDeviceProfilesRequest, type ListDeviceProfilesResponse } from '@chirpstack/chirpstack-api/api/device_profile_pb';
import { GatewayServiceClient } from '@chirpstack/chirpstack-api/api/gateway_grpc_pb';
import {
  CreateGatewayRequest,
  DeleteGatewayRequest,
  GetGatewayDutyCycleMetricsRequest,
  type GetGatewayDutyCycleMetricsResponse,
  GetGatewayRequest,
  ListGatewaysRequest,
  UpdateGatewayRequest,
  type GetGatewayResponse,
  type ListGatewaysResponse,
} from '@chirpstack/chirpstack-api/api/gateway_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { Metadata, type CallOptions, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { CircuitState, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap, type IPolicy } from 'cockatiel';
import { callErrorOf, ChirpStackCallError } from './chirpstack-errors';
import {
  dateOf,
  deviceListItemOf,
  deviceMessage,
  deviceOf,
  gatewayListItemOf,
  gatewayMessage,
  gatewayOf,
  gatewayStateAt,
  keysMessage,
  queueItemMessage,
  queuedItemOf,
  type ChirpStackDevice,
  type ChirpStackDeviceKeys,
  type ChirpStackDeviceListItem,
  type ChirpStackGateway,
  type ChirpStackGatewayListItem,
  type ChirpStackGatewayState,
  type ChirpStackQueueItem,
  type ChirpStackQueuedItem,
} from '@parking/chirpstack-records';
import { channelCredentialsOf, targetOf } from './chirpstack-target';

/** How a connection's calls are bounded, retried and paused. */
export interface ChirpStackCallPolicy {
  /** Each attempt's deadline. */
  deadlineMs: number;
  /** Attempts of an idempotent call in all, the first included. */
  attempts: number;
  /** The first wait between attempts; later ones grow exponentially, with jitter, to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Consecutive transient failures that open the connection's circuit ... */
  breakAfter: number;
  /** ... and how long it stays open before one call may try again. */
  halfOpenAfterMs: number;
}

export const DEFAULT_CALL_POLICY: ChirpStackCallPolicy = Object.freeze({
  deadlineMs: 5_000,
  attempts: 3,
  firstDelayMs: 200,
  maxDelayMs: 2_000,
  breakAfter: 5,
  halfOpenAfterMs: 10_000,
});

/** Told of every attempt (for metrics) and of the circuit's changes. */
export interface ChirpStackCallObserver {
  attempted(method: string, seconds: number, grpcStatus: string): void;
  circuit(state: 'closed' | 'open' | 'half_open'): void;
}

/** What a connection needs to call ChirpStack; the token stays inside the client. */
export interface ChirpStackConnectionTarget {
  /** Names the connection in errors and metrics. */
  id: string;
  apiUrl: string;
  apiToken: string;
}

type Callback<T> = (error: ServiceError | null, response?: T) => void;
type Send<T> = (metadata: Metadata, options: CallOptions, callback: Callback<T>) => ClientUnaryCall;

const CIRCUIT_STATES: Record<CircuitState, 'closed' | 'open' | 'half_open'> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * One ChirpStack connection's gRPC API: the bearer token on every call, a deadline on every
 * attempt, retries with backoff and jitter for the calls that are safe to repeat, and a
 * circuit breaker that pauses the connection after repeated transient failures (cockatiel).
 * Failures come back as `ChirpStackCallError`. Enqueue is never repeated here: a frame sent
 * twice is two frames, so its caller keys it (a command id) instead.
 */
export class ChirpStackClient {
  readonly connectionId: string;
  readonly #metadata: Metadata;
  readonly #devices: DeviceServiceClient;
  readonly #gateways: GatewayServiceClient;
  readonly #applications: ApplicationServiceClient;
  readonly #profiles: DeviceProfileServiceClient;
  readonly #repeatable: IPolicy;
  readonly #once: IPolicy;

  constructor(
    target: ChirpStackConnectionTarget,
    private readonly policy: ChirpStackCallPolicy = DEFAULT_CALL_POLICY,
    private readonly observer?: ChirpStackCallObserver,
  ) {
    this.connectionId = target.id;
    const address = targetOf(target.apiUrl);
    const channel = channelCredentialsOf(address);
    this.#devices = new DeviceServiceClient(address.address, channel);
    this.#gateways = new GatewayServiceClient(address.address, channel);
    this.#applications = new ApplicationServiceClient(address.address, channel);
    this.#profiles = new DeviceProfileServiceClient(address.address, channel);
    this.#metadata = new Metadata();
    this.#metadata.set('authorization', `Bearer ${target.apiToken}`);

    const transient = handleWhen((error) => error instanceof ChirpStackCallError && error.transient);
    const breaker = circuitBreaker(transient, { halfOpenAfter: policy.halfOpenAfterMs, breaker: new ConsecutiveBreaker(policy.breakAfter) });
    breaker.onStateChange((state) => observer?.circuit(CIRCUIT_STATES[state]));
    const retrying = retry(transient, { maxAttempts: Math.max(0, policy.attempts - 1), backoff: new ExponentialBackoff({ initialDelay: policy.firstDelayMs, maxDelay: policy.maxDelayMs }) });
    this.#repeatable = wrap(retrying, breaker);
    this.#once = breaker;
  }

  // Devices

  async createDevice(device: ChirpStackDevice): Promise<void> {
    const request = new CreateDeviceRequest();
    request.setDevice(deviceMessage(device));
    await this.call('DeviceService.Create', true, (m, o, cb) => this.#devices.create(request, m, o, cb));
  }

  async getDevice(devEui: string): Promise<ChirpStackDevice & { lastSeenAt: Date | null }> {
    const request = new GetDeviceRequest();
    request.setDevEui(devEui);
    const response = await this.call<GetDeviceResponse>('DeviceService.Get', true, (m, o, cb) => this.#devices.get(request, m, o, cb));
    const device = response.getDevice();
    if (!device) throw new ChirpStackCallError('DeviceService.Get', 'failed', null, 'the answer holds no device');
    return { ...deviceOf(device), lastSeenAt: dateOf(response.getLastSeenAt()) };
  }

  async updateDevice(device: ChirpStackDevice): Promise<void> {
    const request = new UpdateDeviceRequest();
    request.setDevice(deviceMessage(device));
    await this.call('DeviceService.Update', true, (m, o, cb) => this.#devices.update(request, m, o, cb));
  }

  async deleteDevice(devEui: string): Promise<void> {
    const request = new DeleteDeviceRequest();
    request.setDevEui(devEui);
    await this.call('DeviceService.Delete', true, (m, o, cb) => this.#devices.delete(request, m, o, cb));
  }

  /** One page of an application's devices (without variables or disabled: Get has those). */
  async listDevices(applicationId: string, page: { limit: number; offset: number }): Promise<{ total: number; devices: ChirpStackDeviceListItem[] }> {
    const request = new ListDevicesRequest();
    request.setApplicationId(applicationId);
    request.setLimit(page.limit);
    request.setOffset(page.offset);
    const response = await this.call<ListDevicesResponse>('DeviceService.List', true, (m, o, cb) => this.#devices.list(request, m, o, cb));
    return { total: response.getTotalCount(), devices: response.getResultList().map(deviceListItemOf) };
  }

  async createKeys(devEui: string, keys: ChirpStackDeviceKeys): Promise<void> {
    const request = new CreateDeviceKeysRequest();
    request.setDeviceKeys(keysMessage(devEui, keys));
    await this.call('DeviceService.CreateKeys', true, (m, o, cb) => this.#devices.createKeys(request, m, o, cb));
  }

  async updateKeys(devEui: string, keys: ChirpStackDeviceKeys): Promise<void> {
    const request = new UpdateDeviceKeysRequest();
    request.setDeviceKeys(keysMessage(devEui, keys));
    await this.call('DeviceService.UpdateKeys', true, (m, o, cb) => this.#devices.updateKeys(request, m, o, cb));
  }

  /** Queues a downlink; answers ChirpStack's queue item id. One attempt: see the class. */
  async enqueue(item: ChirpStackQueueItem, flushQueue = false): Promise<string> {
    const request = new EnqueueDeviceQueueItemRequest();
    request.setQueueItem(queueItemMessage(item));
    request.setFlushQueue(flushQueue);
    const response = await this.call<EnqueueDeviceQueueItemResponse>('DeviceService.Enqueue', false, (m, o, cb) => this.#devices.enqueue(request, m, o, cb));
    return response.getId();
  }

  /** The frames waiting in (or sent from and awaiting acknowledgement in) a device's queue. */
  async getQueue(devEui: string): Promise<ChirpStackQueuedItem[]> {
    const request = new GetDeviceQueueItemsRequest();
    request.setDevEui(devEui);
    const response = await this.call<GetDeviceQueueItemsResponse>('DeviceService.GetQueue', true, (m, o, cb) => this.#devices.getQueue(request, m, o, cb));
    return response.getResultList().map(queuedItemOf);
  }

  async flushQueue(devEui: string): Promise<void> {
    const request = new FlushDeviceQueueRequest();
    request.setDevEui(devEui);
    await this.call('DeviceService.FlushQueue', true, (m, o, cb) => this.#devices.flushQueue(request, m, o, cb));
  }

  // Gateways

  async createGateway(gateway: ChirpStackGateway): Promise<void> {
    const request = new CreateGatewayRequest();
    request.setGateway(gatewayMessage(gateway));
    await this.call('GatewayService.Create', true, (m, o, cb) => this.#gateways.create(request, m, o, cb));
  }

  /** A gateway with its state by ChirpStack's rule (offline after twice its stats interval). */
  async getGateway(gatewayId: string, now = new Date()): Promise<ChirpStackGateway & { lastSeenAt: Date | null; state: ChirpStackGatewayState }> {
    const request = new GetGatewayRequest();
    request.setGatewayId(gatewayId);
    const response = await this.call<GetGatewayResponse>('GatewayService.Get', true, (m, o, cb) => this.#gateways.get(request, m, o, cb));
    const gateway = response.getGateway();
    if (!gateway) throw new ChirpStackCallError('GatewayService.Get', 'failed', null, 'the answer holds no gateway');
    const lastSeenAt = dateOf(response.getLastSeenAt());
    const found = gatewayOf(gateway);
    return { ...found, lastSeenAt, state: gatewayStateAt(lastSeenAt, found.statsInterval, now) };
  }

  async updateGateway(gateway: ChirpStackGateway): Promise<void> {
    const request = new UpdateGatewayRequest();
    request.setGateway(gatewayMessage(gateway));
    await this.call('GatewayService.Update', true, (m, o, cb) => this.#gateways.update(request, m, o, cb));
  }

  async deleteGateway(gatewayId: string): Promise<void> {
    const request = new DeleteGatewayRequest();
    request.setGatewayId(gatewayId);
    await this.call('GatewayService.Delete', true, (m, o, cb) => this.#gateways.delete(request, m, o, cb));
  }

  async listGateways(tenantId: string, page: { limit: number; offset: number }): Promise<{ total: number; gateways: ChirpStackGatewayListItem[] }> {
    const request = new ListGatewaysRequest();
    request.setTenantId(tenantId);
    request.setLimit(page.limit);
    request.setOffset(page.offset);
    const response = await this.call<ListGatewaysResponse>('GatewayService.List', true, (m, o, cb) => this.#gateways.list(request, m, o, cb));
    return { total: response.getTotalCount(), gateways: response.getResultList().map(gatewayListItemOf) };
  }

  /** ChirpStack's duty-cycle load per band over a window: the most it reached, and the band's limit. */
  async dutyCycle(gatewayId: string, start: Date, end: Date): Promise<Array<{ band: string; loadPercent: number; maxLoadPercent: number }>> {
    const request = new GetGatewayDutyCycleMetricsRequest();
    request.setGatewayId(gatewayId);
    request.setStart(Timestamp.fromDate(start));
    request.setEnd(Timestamp.fromDate(end));
    const response = await this.call<GetGatewayDutyCycleMetricsResponse>('GatewayService.GetDutyCycleMetrics', true, (m, o, cb) => this.#gateways.getDutyCycleMetrics(request, m, o, cb));
    const peak = (data: number[]) => (data.length > 0 ? Math.max(...data) : 0);
    const limits = new Map((response.getMaxLoadPercentage()?.getDatasetsList() ?? []).map((set) => [set.getLabel(), peak(set.getDataList())]));
    return (response.getWindowPercentage()?.getDatasetsList() ?? []).map((set) => ({ band: set.getLabel(), loadPercent: peak(set.getDataList()), maxLoadPercent: limits.get(set.getLabel()) ?? 0 }));
  }

  // What a connection test looks at

  async getApplication(applicationId: string): Promise<{ id: string; name: string; tenantId: string }> {
    const request = new GetApplicationRequest();
    request.setId(applicationId);
    const response = await this.call<GetApplicationResponse>('ApplicationService.Get', true, (m, o, cb) => this.#applications.get(request, m, o, cb));
    const application = response.getApplication();
    if (!application) throw new ChirpStackCallError('ApplicationService.Get', 'failed', null, 'the answer holds no application');
    return { id: application.getId(), name: application.getName(), tenantId: application.getTenantId() };
  }

  async listDeviceProfiles(tenantId: string, page: { limit: number; offset: number }): Promise<{ total: number; profiles: Array<{ id: string; name: string }> }> {
    const request = new ListDeviceProfilesRequest();
    request.setTenantId(tenantId);
    request.setLimit(page.limit);
    request.setOffset(page.offset);
    const response = await this.call<ListDeviceProfilesResponse>('DeviceProfileService.List', true, (m, o, cb) => this.#profiles.list(request, m, o, cb));
    return { total: response.getTotalCount(), profiles: response.getResultList().map((p) => ({ id: p.getId(), name: p.getName() })) };
  }

  close(): void {
    for (const client of [this.#devices, this.#gateways, this.#applications, this.#profiles]) client.close();
  }

  /** One call under the connection's policy: each attempt with its deadline, timed and classified. */
  private async call<T>(method: string, repeatable: boolean, send: Send<T>): Promise<T> {
    const policy = repeatable ? this.#repeatable : this.#once;
    try {
      return await policy.execute(() => this.attempt(method, send));
    } catch (error) {
      throw callErrorOf(method, error);
    }
  }

  private attempt<T>(method: string, send: Send<T>): Promise<T> {
    const started = process.hrtime.bigint();
    return new Promise<T>((resolve, reject) => {
      send(this.#metadata, { deadline: Date.now() + this.policy.deadlineMs }, (error, response) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const failure = error ? callErrorOf(method, error) : null;
        this.observer?.attempted(method, seconds, failure?.grpcStatus === null || failure === null ? (failure ? 'UNKNOWN' : 'OK') : grpcStatusName(failure.grpcStatus));
        if (failure) reject(failure);
        else if (response === undefined) reject(new ChirpStackCallError(method, 'failed', null, 'the call answered nothing'));
        else resolve(response);
      });
    });
  }
}

function grpcStatusName(code: number): string {
  return ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED',
    'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'][code] ?? String(code);
}
