import { BadRequestException, Controller, Get, Param, PayloadTooLargeException, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { isDomainError } from '@wholesail/domain';
import type { UsageImport } from '@wholesail/persistence';
import { USAGE_IMPORT_MAX_BYTES, USAGE_IMPORT_MAX_LINES, UsageErrorCode, UsageImporter, usageFileFormat } from '@wholesail/usage';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { streamedContentType, type StreamedRequest } from '../common/streamed-body';
import { ImportQuery, UsageImportView } from './dto/usage.dto';

@ApiTags('usage')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('usage/imports')
export class UsageImportsController {
  constructor(private readonly importer: UsageImporter) {}

  @Post()
  @Roles('operator-admin')
  @ApiOperation({
    summary: `Import usage lines (licences, support hours): CSV, NDJSON or a JSON array, streamed (up to ${USAGE_IMPORT_MAX_LINES} lines, ${USAGE_IMPORT_MAX_BYTES / 1024 / 1024} MiB; gzip allowed). Imported whole or refused whole`,
  })
  @ApiConsumes('text/csv', 'application/x-ndjson', 'application/json')
  @ApiCreatedResponse({ type: UsageImportView })
  @ApiBadRequestResponse({
    type: ApiErrorBody,
    description: 'USAGE_IMPORT_REFUSED: `fields` lists the first errors as "line N: field", `import` is the refused batch',
  })
  @ApiPayloadTooLargeResponse({ type: ApiErrorBody, description: 'USAGE_IMPORT_TOO_LARGE' })
  @ApiUnsupportedMediaTypeResponse({ type: ApiErrorBody, description: 'USAGE_IMPORT_UNSUPPORTED_TYPE' })
  async import(@CurrentPrincipal() principal: Principal, @Req() request: StreamedRequest, @Query() query: ImportQuery): Promise<UsageImportView> {
    const contentType = streamedContentType(request);
    const format = usageFileFormat(contentType);
    if (!format) {
      throw new UnsupportedMediaTypeException({
        code: UsageErrorCode.ImportUnsupportedType,
        message: `Content-Type must be text/csv, application/x-ndjson or application/json in UTF-8 (got ${JSON.stringify(contentType ?? '')})`,
        fields: [{ field: 'Content-Type', problem: 'must be text/csv, application/x-ndjson or application/json' }],
      });
    }
    const declared = request.header('content-length');
    if (declared && Number(declared) > USAGE_IMPORT_MAX_BYTES) throw tooLargeResponse(`the import is larger than ${USAGE_IMPORT_MAX_BYTES} bytes`);
    let batch: UsageImport;
    try {
      batch = await this.importer.import(request, {
        format,
        fileName: query.fileName ?? null,
        contentEncoding: request.header('content-encoding'),
        createdBy: principal.ref,
        scopePath: principal.partyPath,
      });
    } catch (error) {
      if (isDomainError(error) && error.code === UsageErrorCode.ImportTooLarge) throw tooLargeResponse(error.message);
      if (isDomainError(error) && error.code === UsageErrorCode.ImportUnsupportedType) {
        throw new UnsupportedMediaTypeException({ code: error.code, message: error.message, fields: error.fields });
      }
      throw error;
    }
    const view = importView(batch);
    if (batch.status === 'refused') {
      throw new BadRequestException({
        code: UsageErrorCode.ImportRefused,
        message: `the import was refused whole: ${batch.errorCount} error(s), nothing was imported`,
        fields: view.errors.map((e) => ({ field: e.line ? `line ${e.line}: ${e.field}` : e.field, problem: e.problem })),
        import: view,
      });
    }
    return view;
  }

  @Get(':id')
  @Roles('operator-admin', 'operator-finance')
  @ApiOperation({ summary: 'A usage import batch: its status, counts and (refused) its first errors' })
  @ApiOkResponse({ type: UsageImportView })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  async get(@Param('id') id: string): Promise<UsageImportView> {
    return importView(await this.importer.find(id));
  }
}

function tooLargeResponse(message: string): PayloadTooLargeException {
  return new PayloadTooLargeException({ code: UsageErrorCode.ImportTooLarge, message, fields: [{ field: 'body', problem: message }] });
}

function importView(batch: UsageImport): UsageImportView {
  return {
    id: batch.id,
    fileName: batch.fileName ?? null,
    format: batch.format,
    status: batch.status,
    lineCount: batch.lineCount,
    importedCount: batch.importedCount,
    duplicateCount: batch.duplicateCount,
    errorCount: batch.errorCount,
    errors: batch.errors ?? [],
    byteCount: Number(batch.byteCount),
    createdBy: batch.createdBy,
    createdAt: batch.createdAt.toISOString(),
    completedAt: batch.completedAt.toISOString(),
  };
}
