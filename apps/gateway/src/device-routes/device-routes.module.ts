import { Module } from '@nestjs/common';
import { AdminDevicesController } from './admin-devices.controller';
import { DevicesController } from './devices.controller';
import { ImportBodySupport } from './import-body';
import { LegacyDevicesController } from './legacy-devices.controller';

/** The REST face of ingest's device registry: thin controllers that validate and forward over NATS. */
@Module({
  controllers: [DevicesController, LegacyDevicesController, AdminDevicesController],
  providers: [ImportBodySupport],
})
export class DeviceRoutesModule {}
