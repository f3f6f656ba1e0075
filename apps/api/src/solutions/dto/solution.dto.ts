import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { APPROVAL_MODES, DESIGN_VERSION_STATUSES, SOLUTION_STATUSES, type ApprovalMode, type SolutionStatus } from '@wholesail/domain';
import { IsDecimalString } from '../../common/decimal-string';
import { PageMeta, PageQuery } from '../../common/pagination';
import { QuoteView } from '../../pricing/dto/quote.dto';

const GRAPH_EXAMPLE = {
  vms: [
    { id: 'web-1', name: 'Web 1', template: 'VM-LINUX', vcpus: 2, ramGb: 4, diskGb: 40, networks: ['lan'] },
    { id: 'web-2', name: 'Web 2', template: 'VM-LINUX', vcpus: 2, ramGb: 4, diskGb: 40, networks: ['lan'] },
  ],
  networks: [{ id: 'lan', name: 'Front LAN', cidr: '10.0.1.0/24' }],
  volumes: [{ id: 'data', sizeGb: 100, vm: 'web-1' }],
  publicIps: [{ id: 'ip-1', vm: 'web-1' }],
};
const GRAPH_DESCRIPTION =
  'The design graph: `vms` `{id, name?, template (SKU), vcpus, ramGb, diskGb, osLicence? (SKU), networks: [network ids]}`, `networks` `{id, name?, cidr}`, `volumes` `{id, name?, sizeGb, vm}`, `publicIps` `{id, name?, vm}`. Ids are lower-case letters, digits and dashes; sizes whole numbers.';

export class CreateSolutionDto {
  @ApiProperty({ description: 'the client the solution is for (one of your own reseller’s clients)' })
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId!: string;

  @ApiProperty({ example: 'Web shop', description: 'unique among the client’s solutions (case-insensitively)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

export class ListSolutionsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a UUID' })
  clientId?: string;

  @ApiPropertyOptional({ enum: SOLUTION_STATUSES })
  @IsOptional()
  @IsIn(SOLUTION_STATUSES, { message: `status must be one of: ${SOLUTION_STATUSES.join(', ')}` })
  status?: SolutionStatus;
}

export class DesignGraphDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: GRAPH_EXAMPLE, description: GRAPH_DESCRIPTION })
  @IsObject({ message: 'graph must be an object with vms, networks, volumes and publicIps' })
  graph!: Record<string, unknown>;
}

export class SaveVersionDto extends DesignGraphDto {
  @ApiPropertyOptional({ example: 'added a second web server', description: 'what changed in this version' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class WithdrawSolutionDto {
  @ApiPropertyOptional({ example: 'the client wants to wait a quarter' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class CreateShareLinkDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 2160, default: 336, description: 'hours the link works (default 14 days, at most 90)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2160)
  expiresInHours?: number;
}

export class FieldProblemView {
  @ApiProperty({ example: 'vms[web-1].networks' }) field!: string;
  @ApiProperty({ example: 'is empty: connect the VM to at least one network' }) problem!: string;
}

export class DesignTotalsView {
  @ApiProperty() vms!: number;
  @ApiProperty() vcpus!: number;
  @ApiProperty() ramGb!: number;
  @ApiProperty({ description: 'boot disks and volumes' }) storageGb!: number;
  @ApiProperty() publicIps!: number;
}

export class BillOfMaterialsLineView {
  @ApiProperty({ example: 'VCPU' }) sku!: string;
  @ApiProperty({ example: '2' }) quantity!: string;
  @ApiProperty({ example: 'vms[web-1].vcpus', description: 'the design field the line prices' }) ref!: string;
}

export class QuoteErrorView {
  @ApiProperty({ example: 'PRICING_NO_PRICE_IN_FORCE' }) code!: string;
  @ApiProperty() message!: string;
}

/**
 * A design checked and priced: what the designer shows as the architect draws. `problems` name
 * fields inside the graph; `valid` is true when there are none (the design can be submitted).
 */
export class DesignCheckView {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ type: [FieldProblemView] }) problems!: FieldProblemView[];
  @ApiPropertyOptional({ type: DesignTotalsView, nullable: true, description: 'null when the graph is malformed' }) totals!: DesignTotalsView | null;
  @ApiProperty({ type: [BillOfMaterialsLineView] }) billOfMaterials!: BillOfMaterialsLineView[];
  @ApiProperty({ type: [String], description: 'design fields left out of the quote (unknown, retired or unsold items)' }) unpriced!: string[];
  @ApiPropertyOptional({ type: QuoteView, nullable: true, description: 'the monthly quote as you may see it; null when nothing could be priced' })
  quote!: QuoteView | null;
  @ApiPropertyOptional({ type: QuoteErrorView, nullable: true }) quoteError!: QuoteErrorView | null;
}

export class ChangesRequestedView {
  @ApiProperty() comment!: string;
  @ApiProperty({ description: 'the deciding user’s id, or "validation"' }) by!: string;
  @ApiPropertyOptional() byEmail?: string;
  @ApiProperty({ example: 'client', description: "'client', 'operator' or 'validation'" }) stepKey!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'a new version must be submitted by then' }) respondBy!: string;
  @ApiPropertyOptional({ type: [FieldProblemView] }) problems?: FieldProblemView[];
}

export class SolutionView {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() clientName!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SOLUTION_STATUSES }) status!: string;
  @ApiProperty({ description: 'the approval case: solution-approval:<id>' }) workflowId!: string;
  @ApiProperty({ description: 'the last round submitted (0: never submitted)' }) round!: number;
  @ApiProperty({ description: 'the highest version number (0: none saved)' }) latestVersion!: number;
  @ApiPropertyOptional({ nullable: true, description: 'the version the approval case is about' }) currentVersion!: number | null;
  @ApiPropertyOptional({ nullable: true }) approvedVersion!: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'why it was rejected, withdrawn or expired' }) statusReason!: string | null;
  @ApiPropertyOptional({ type: ChangesRequestedView, nullable: true, description: 'while changes-requested: the comment and the deadline' })
  changesRequested!: ChangesRequestedView | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class SolutionPage {
  @ApiProperty({ type: [SolutionView] }) items!: SolutionView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class DesignVersionSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() solutionId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: DESIGN_VERSION_STATUSES }) status!: string;
  @ApiProperty() authorId!: string;
  @ApiProperty() authorEmail!: string;
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) round!: number | null;
  @ApiPropertyOptional({ nullable: true }) submittedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) decidedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, example: '250.00', description: 'the client’s monthly total when submitted' }) monthlyTotal!: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'EUR' }) currency!: string | null;
  @ApiPropertyOptional({ nullable: true }) vcpus!: number | null;
}

export class DesignVersionPage {
  @ApiProperty({ type: [DesignVersionSummaryView] }) items!: DesignVersionSummaryView[];
  @ApiProperty({ type: PageMeta }) meta!: PageMeta;
}

export class DesignVersionView extends DesignVersionSummaryView {
  @ApiProperty({ type: 'object', additionalProperties: true, example: GRAPH_EXAMPLE, description: GRAPH_DESCRIPTION }) graph!: Record<string, unknown>;
  @ApiPropertyOptional({ type: QuoteView, nullable: true, description: 'the quote taken when it was submitted, as you may see it' }) quote!: QuoteView | null;
  @ApiProperty({ example: '/solutions/…/versions/1/map', description: 'its network map (SVG)' }) mapUrl!: string;
}

export class SavedVersionView extends DesignVersionView {
  @ApiProperty({ type: DesignCheckView, description: 'the saved graph checked now: problems do not stop a save, they stop a submission' })
  check!: DesignCheckView;
}

export class SubmissionView {
  @ApiProperty() solutionId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() versionNo!: number;
  @ApiProperty() round!: number;
  @ApiProperty({ enum: SOLUTION_STATUSES }) status!: string;
  @ApiProperty({ enum: ['started', 'resumed'], description: 'a new approval case, or the one waiting for this version' }) case!: 'started' | 'resumed';
}

export class ShareLinkView {
  @ApiProperty() id!: string;
  @ApiProperty() versionId!: string;
  @ApiProperty({ description: 'the public link: it shows this version’s network map and nothing else' }) url!: string;
  @ApiProperty() expiresAt!: string;
  @ApiPropertyOptional({ nullable: true }) revokedAt!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

class ClientAcceptanceDto {
  @ApiProperty({ enum: APPROVAL_MODES, description: "'any' one of the client's users, or 'all' of them" })
  @IsIn(APPROVAL_MODES, { message: `mode must be one of: ${APPROVAL_MODES.join(', ')}` })
  mode!: ApprovalMode;
}

class OperatorApprovalDto {
  @ApiPropertyOptional({ example: '1000.00', nullable: true, description: 'ask the operator above this monthly total (catalog currency); null: never' })
  @ValidateIf((_o, v) => v !== null)
  @IsDecimalString(14, '1000.00')
  monthlyTotalAbove!: string | null;

  @ApiPropertyOptional({ example: 32, nullable: true, description: 'ask the operator above this many vCPUs; null: never' })
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(0)
  vcpusAbove!: number | null;

  @ApiProperty({ enum: APPROVAL_MODES })
  @IsIn(APPROVAL_MODES, { message: `mode must be one of: ${APPROVAL_MODES.join(', ')}` })
  mode!: ApprovalMode;

  @ApiPropertyOptional({ type: [String], description: 'the operator-admins who decide (all of them in "all" mode)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'approverIds must be user ids' })
  approverIds?: string[];
}

/** Fields to change; those left out keep their value. */
export class UpdateSolutionPolicyDto {
  @ApiPropertyOptional({ type: ClientAcceptanceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClientAcceptanceDto)
  clientAcceptance?: ClientAcceptanceDto;

  @ApiPropertyOptional({ type: OperatorApprovalDto, description: 'operator-admin only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OperatorApprovalDto)
  operatorApproval?: OperatorApprovalDto;

  @ApiPropertyOptional({ example: '2 days', description: 'operator-admin only' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  reminderEvery?: string;

  @ApiPropertyOptional({ example: '14 days', description: 'operator-admin only' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  expiresAfter?: string;

  @ApiPropertyOptional({ type: [String], example: ['LIC-WIN-STD'], description: 'SKUs you do not sell in designs (replaces the list)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  notSold?: string[];
}

export class SolutionPolicyView {
  @ApiProperty() resellerId!: string;
  @ApiProperty({ description: 'true while the reseller has not set its own' }) isDefault!: boolean;
  @ApiProperty({ type: ClientAcceptanceDto }) clientAcceptance!: ClientAcceptanceDto;
  @ApiProperty({ type: OperatorApprovalDto }) operatorApproval!: OperatorApprovalDto;
  @ApiProperty({ example: '2 days' }) reminderEvery!: string;
  @ApiProperty({ example: '14 days' }) expiresAfter!: string;
  @ApiProperty({ type: [String] }) notSold!: string[];
}
