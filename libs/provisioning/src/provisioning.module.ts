import { Module } from '@nestjs/common';
import { HypervisorsModule } from '@wholesail/hypervisors';
import { EnvironmentRecords } from './environment-records.service';
import { EnvironmentViews } from './environment-views.service';
import { ProvisioningFaults } from './provisioning-faults';

/** Environments for a Nest process: the writer (worker), the reads (API), fault injection (tests); needs the ORM and the configuration. */
@Module({
  imports: [HypervisorsModule],
  providers: [EnvironmentRecords, EnvironmentViews, ProvisioningFaults],
  exports: [EnvironmentRecords, EnvironmentViews, ProvisioningFaults, HypervisorsModule],
})
export class ProvisioningModule {}
