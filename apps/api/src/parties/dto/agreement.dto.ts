import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, Matches, ValidateNested } from 'class-validator';
import { COMMISSION_FUNDERS, MAX_VOLUME_TIERS, type CommissionFunder } from '@wholesail/domain';
import { plainDecimal, type CommissionAgreement } from '@wholesail/persistence';
import { IsDecimalString, IsInstant } from '../../common/decimal-string';
import { PageMeta, PageQuery } from '../../common/pagination';

/** numeric(9,6): a fraction has one integer digit; numeric(20,6): a fee has up to 14. */
const RATE_DIGITS = 1;
const FEE_DIGITS = 14;

export class ListAgreementsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'only the version in force at this instant' })
  @IsOptional()
  @IsInstant()
  inForceAt?: string;
}

/** A volume tier: from this monthly wholesale volume upwards, this rate (marginal brackets). */
export class VolumeTierDto {
  @ApiProperty({ example: '10000.00', description: 'monthly wholesale volume the tier starts at (above 0, ascending)' })
  @IsDefined({ message: 'from is required' })
  @IsDecimalString(FEE_DIGITS, '10000.00')
  from!: string;

  @ApiProperty({ example: '0.06', description: 'the rate on the volume above `from`, a fraction 0–1' })
  @IsDefined({ message: 'rate is required' })
  @IsDecimalString(RATE_DIGITS, '0.06')
  rate!: string;
}

export class CreateAgreementDto {
  @ApiProperty({ example: '0.05', description: 'fraction of the wholesale revenue, 0–1 (0.05 is 5 %), as a decimal string' })
  @IsDefined({ message: 'rate is required' })
  @IsDecimalString(RATE_DIGITS, '0.05')
  rate!: string;

  @ApiPropertyOptional({ example: '2.00', description: 'distributors only: a fixed fee per active client per month, ≥ 0' })
  @IsOptional()
  @IsDecimalString(FEE_DIGITS, '2.00')
  feePerActiveClient?: string;

  @ApiPropertyOptional({
    type: [VolumeTierDto],
    description: `distributors only: up to ${MAX_VOLUME_TIERS} volume tiers as marginal brackets on the monthly wholesale volume (\`rate\` applies below the first)`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_VOLUME_TIERS)
  @ValidateNested({ each: true })
  @Type(() => VolumeTierDto)
  volumeTiers?: VolumeTierDto[];

  @ApiPropertyOptional({ example: 12, description: 'agents only: the cut applies to a client’s first N months' })
  @IsOptional()
  @IsInt({ message: 'firstMonths must be a whole number' })
  firstMonths?: number;

  @ApiPropertyOptional({ enum: COMMISSION_FUNDERS, description: 'agents only: who pays the cut; default the operator, or carved out of the distributor’s cut' })
  @IsOptional()
  @IsIn(COMMISSION_FUNDERS, { message: `fundedBy must be one of: ${COMMISSION_FUNDERS.join(', ')}` })
  fundedBy?: CommissionFunder;

  @ApiPropertyOptional({ example: 'EUR', description: 'default the catalog’s currency (EUR); must be the catalog’s currency' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as EUR' })
  currency?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'default now; never in the past. The version in force ends here.' })
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;
}

export class AgreementView {
  @ApiProperty() id!: string;
  @ApiProperty() partyId!: string;
  @ApiProperty({ example: '0.05' }) rate!: string;
  @ApiProperty({ type: String, nullable: true, example: '2' }) feePerActiveClient!: string | null;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: Number, nullable: true }) firstMonths!: number | null;
  @ApiProperty({ enum: COMMISSION_FUNDERS, nullable: true, description: 'agents only' }) fundedBy!: CommissionFunder | null;
  @ApiProperty({ type: [VolumeTierDto], nullable: true, description: 'distributors only: marginal brackets over the wholesale revenue' }) volumeTiers!:
    VolumeTierDto[] | null;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ type: String, nullable: true, description: 'exclusive; null while open' }) effectiveTo!: string | null;
  @ApiProperty() createdAt!: string;

  static of(agreement: CommissionAgreement): AgreementView {
    return {
      id: agreement.id,
      partyId: agreement.party.id,
      rate: plainDecimal(agreement.rate),
      feePerActiveClient: agreement.feePerActiveClient != null ? plainDecimal(agreement.feePerActiveClient) : null,
      currency: agreement.currency,
      firstMonths: agreement.firstMonths ?? null,
      fundedBy: agreement.fundedBy ?? null,
      volumeTiers: agreement.volumeTiers ?? null,
      effectiveFrom: agreement.effectiveFrom.toISOString(),
      effectiveTo: agreement.effectiveTo?.toISOString() ?? null,
      createdAt: agreement.createdAt.toISOString(),
    };
  }
}

export class AgreementPage {
  @ApiProperty({ type: [AgreementView] }) items!: AgreementView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}
