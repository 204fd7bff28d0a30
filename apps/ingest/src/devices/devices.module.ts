import { Module } from '@nestjs/common';
import { AdminDevicesUseCases } from './admin-devices.use-cases';
import { DeviceImportUseCase } from './device-import.use-case';
import { DevicesRpc } from './devices.rpc';
import { DevicesUseCases } from './devices.use-cases';

/** The device registry: registration, import, health views and the platform-admin pool. */
@Module({
  controllers: [DevicesRpc],
  providers: [DevicesUseCases, DeviceImportUseCase, AdminDevicesUseCases],
  exports: [DevicesUseCases],
})
export class DevicesModule {}
