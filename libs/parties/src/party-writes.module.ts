import { Module } from '@nestjs/common';
import { VersioningModule } from '@wholesail/persistence';
import { AgreementWriter } from './agreement-writer.service';
import { ClientCreditWriter } from './client-credit-writer.service';
import { Invitations } from './invitations.service';
import { PartyWriter } from './party-writer.service';
import { PriceBookWriter } from './price-book-writer.service';

/**
 * Every write of the partner network, for the API and the worker alike. Needs the ORM
 * (PersistenceModule) and the configuration (ConfigModule, global) of the process importing it.
 */
@Module({
  imports: [VersioningModule],
  providers: [PartyWriter, AgreementWriter, PriceBookWriter, ClientCreditWriter, Invitations],
  exports: [PartyWriter, AgreementWriter, PriceBookWriter, ClientCreditWriter, Invitations, VersioningModule],
})
export class PartyWritesModule {}
