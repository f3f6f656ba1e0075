import { Module } from '@nestjs/common';
import { ProvisioningModule } from '@wholesail/provisioning';
import { EnvironmentsController } from './environments.controller';
import { EnvironmentsService } from './environments.service';

@Module({ imports: [ProvisioningModule], controllers: [EnvironmentsController], providers: [EnvironmentsService] })
export class EnvironmentsModule {}
