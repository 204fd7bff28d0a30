import { Module } from '@nestjs/common';
import { AdminDevicesUseCases } from './admin-devices.use-cases';
import { ChirpstackDriftConsumer } from './chirpstack-drift.consumer';
import { DeviceImportUseCase } from './device-import.use-case';
import { DevicesRpc } from './devices.rpc';
import { DevicesUseCases } from './devices.use-cases';

/** The device registry: registration, import, health views, the platform-admin pool and drift adopted from ChirpStack. */
@Module({
  controllers: [DevicesRpc],
  providers: [DevicesUseCases, DeviceImportUseCase, AdminDevicesUseCases, ChirpstackDriftConsumer],
  exports: [DevicesUseCases],
})
export class DevicesModule {}
