import { Module } from '@nestjs/common';
import { DisplaysController } from './displays.controller';
import { SignageController } from './signage.controller';

/** The REST face of signage (the downlink service): thin controllers that validate and forward over NATS. */
@Module({ controllers: [DisplaysController, SignageController] })
export class SignageRoutesModule {}
