import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PortalBrandingView {
  @ApiPropertyOptional({ nullable: true, description: 'the reseller whose brand this is; null: the operator’s look' }) ownerId!: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'Acme MSP' }) name!: string | null;
  @ApiPropertyOptional({ nullable: true }) logoUrl!: string | null;
  @ApiPropertyOptional({ nullable: true, example: '#0b5cab' }) primaryColor!: string | null;
  @ApiPropertyOptional({ nullable: true, example: '#f59e0b' }) accentColor!: string | null;
}

export class BrandingEnvelope {
  @ApiProperty({ type: PortalBrandingView }) branding!: PortalBrandingView;
}
