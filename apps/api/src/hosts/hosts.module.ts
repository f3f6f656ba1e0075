import { Module } from '@nestjs/common';
import { HypervisorsModule } from '@wholesail/hypervisors';
import { HostsController } from './hosts.controller';

@Module({ imports: [HypervisorsModule], controllers: [HostsController] })
export class HostsModule {}
