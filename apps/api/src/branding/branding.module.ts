import { Module } from '@nestjs/common';
import { BrandingController } from './branding.controller';
import { BrandingService } from './branding.service';

@Module({ controllers: [BrandingController], providers: [BrandingService] })
export class BrandingModule {}
