import { Module } from '@nestjs/common';
import { PartyWritesModule } from '@wholesail/parties';
import { AgreementsController } from './agreements.controller';
import { AgreementsService } from './agreements.service';
import { CreditsController } from './credits.controller';
import { CreditsService } from './credits.service';
import { PartiesController } from './parties.controller';
import { PartiesService } from './parties.service';
import { PartyAdminService } from './party-admin.service';
import { ResellerMovesController } from './reseller-moves.controller';
import { ResellerMovesService } from './reseller-moves.service';

@Module({
  imports: [PartyWritesModule],
  controllers: [PartiesController, ResellerMovesController, AgreementsController, CreditsController],
  providers: [PartiesService, PartyAdminService, ResellerMovesService, AgreementsService, CreditsService],
})
export class PartiesModule {}
