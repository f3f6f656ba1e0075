import { ApiProperty } from '@nestjs/swagger';

export class PortalBrandingView {
  @ApiProperty({ type: String, nullable: true, description: 'the reseller whose brand this is; null: the operator’s look' }) ownerId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Acme MSP' }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) logoUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '#0b5cab' }) primaryColor!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '#f59e0b' }) accentColor!: string | null;
}

export class BrandingEnvelope {
  @ApiProperty({ type: PortalBrandingView }) branding!: PortalBrandingView;
}
