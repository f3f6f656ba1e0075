import { Module } from '@nestjs/common';
import { PartyWritesModule } from '@wholesail/parties';
import { ClientOverridesController } from './client-overrides.controller';
import { ClientOverridesService } from './client-overrides.service';
import { PriceBooksController } from './price-books.controller';
import { PriceBooksService } from './price-books.service';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';

/** Price books, negotiated client prices and quotes, over the pure engine in libs/domain/src/pricing. */
@Module({
  imports: [PartyWritesModule],
  controllers: [PriceBooksController, ClientOverridesController, QuotesController],
  providers: [PriceBooksService, ClientOverridesService, QuotesService],
})
export class PricingModule {}
