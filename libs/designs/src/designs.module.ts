import { Module } from '@nestjs/common';
import { DesignAssessor } from './design-assessor.service';
import { ShareLinks } from './share-links.service';
import { SolutionStore } from './solution-store.service';

/**
 * Solution designs for the API and the worker alike: the one writer of solutions, versions and
 * policies, the validator-and-quoter, share links. Needs the ORM (PersistenceModule) and the
 * configuration (ConfigModule, global) of the process importing it.
 */
@Module({
  providers: [SolutionStore, DesignAssessor, ShareLinks],
  exports: [SolutionStore, DesignAssessor, ShareLinks],
})
export class DesignsModule {}
