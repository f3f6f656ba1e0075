import { Module } from '@nestjs/common';
import { SecretBox } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { HOST_SECRETS, HostRegistryService } from './hosts/host-registry.service';
import { HypervisorDrivers } from './hosts/hypervisor-drivers.service';
import { PlacementService } from './hosts/placement.service';

/** Hosts, placement and open drivers for a Nest process (the API and the worker); needs the ORM and the configuration. */
@Module({
  providers: [
    { provide: HOST_SECRETS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SecretBox(config.secretsKey) },
    HostRegistryService,
    PlacementService,
    HypervisorDrivers,
  ],
  exports: [HostRegistryService, PlacementService, HypervisorDrivers],
})
export class HypervisorsModule {}
