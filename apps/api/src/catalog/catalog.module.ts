import { Module } from '@nestjs/common';
import { VersioningModule } from '@wholesail/persistence';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

@Module({ imports: [VersioningModule], controllers: [CatalogController], providers: [CatalogService] })
export class CatalogModule {}
