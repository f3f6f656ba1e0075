import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { billingPeriod, Dec, DomainError, isDomainError, periodContaining, usageLineFields, usageLineProblems, type UsageLineFields } from '@wholesail/domain';
import { UsageImport, type UsageImportError } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { boundedBody, readUsageFile, tooLarge, USAGE_IMPORT_MAX_BYTES, USAGE_IMPORT_MAX_LINES, type UsageFileFormat } from './import/usage-file';
import { UsageErrorCode } from './usage-errors';
import { UsageReferences } from './usage-references';

/** How many errors a refused import keeps (all are counted). */
export const USAGE_IMPORT_MAX_ERRORS = 100;
/** Lines validated and inserted together. */
const BATCH = 1000;

export interface ImportOptions {
  format: UsageFileFormat;
  fileName?: string | null;
  contentEncoding?: string;
  /** Who imports: "user:<id>", "api-key:<id>". */
  createdBy: string;
  /** Only clients under this party path exist for the importer (null: every client). */
  scopePath?: string | null;
  maxBytes?: number;
  maxLines?: number;
}

interface ValidLine {
  line: number;
  fields: UsageLineFields;
}

class Refusal extends Error {}

/**
 * Imports a file of usage lines, streamed: records are parsed one at a time, validated (fields,
 * client, SKU billable over the period) and inserted in batches of 1,000 inside one transaction,
 * so a 100k-line file is never held in memory. A line whose transaction ID is already recorded
 * with the same content is ignored (counted as a duplicate); with other content it is an error.
 * Any error refuses the whole file: the transaction rolls back and a `refused` batch is stored with
 * the first USAGE_IMPORT_MAX_ERRORS errors (line-numbered, in line order) and the total count.
 */
@Injectable()
export class UsageImporter {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(body: Readable, options: ImportOptions): Promise<UsageImport> {
    const id = randomUUID();
    const maxLines = options.maxLines ?? USAGE_IMPORT_MAX_LINES;
    const { stream, bytes } = boundedBody(body, options.contentEncoding, options.maxBytes ?? USAGE_IMPORT_MAX_BYTES);
    const errors: UsageImportError[] = [];
    let errorCount = 0;
    const addError = (error: UsageImportError) => {
      errorCount++;
      if (errors.length < USAGE_IMPORT_MAX_ERRORS) errors.push(error);
    };
    const counts = { lines: 0, imported: 0, duplicates: 0 };
    const em = this.em.fork();
    const batchRecord = (status: 'imported' | 'refused') =>
      em.create(
        UsageImport,
        {
          id,
          fileName: options.fileName ?? null,
          format: options.format,
          status,
          lineCount: counts.lines,
          importedCount: status === 'imported' ? counts.imported : 0,
          duplicateCount: status === 'imported' ? counts.duplicates : 0,
          errorCount,
          errors: status === 'refused' ? errors.sort((a, b) => a.line - b.line) : null,
          byteCount: bytes(),
          createdBy: options.createdBy,
          createdAt: new Date(),
          completedAt: new Date(),
        },
        { persist: false },
      );

    try {
      return await em.transactional(async (tx) => {
        // The batch row first: the lines refer to it. Its figures are set at the end.
        await tx.insert(batchRecord('imported'));
        const references = new UsageReferences(tx, options.scopePath ?? null);
        const now = new Date();
        const lineOptions = { now, timeZone: this.config.operatorTimeZone, currentPeriod: periodContaining(now, this.config.operatorTimeZone).id };
        let batch: ValidLine[] = [];
        const flush = async () => {
          const lines = batch;
          batch = [];
          await this.insertBatch(tx, id, lines, references, counts, addError);
        };
        for await (const record of readUsageFile(stream, options.format)) {
          if ('problem' in record) {
            addError({ line: record.line, field: record.field, problem: record.problem });
            continue;
          }
          if (++counts.lines > maxLines) throw tooLarge(`the import has more than ${maxLines} lines`);
          const problems = usageLineProblems(record.record, lineOptions);
          if (problems.length) {
            for (const p of problems) addError({ line: record.line, field: p.field, problem: p.problem });
            continue;
          }
          batch.push({ line: record.line, fields: usageLineFields(record.record) });
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        if (errorCount) throw new Refusal();
        await tx.nativeUpdate(
          UsageImport,
          { id },
          { lineCount: counts.lines, importedCount: counts.imported, duplicateCount: counts.duplicates, byteCount: bytes() },
        );
        return batchRecord('imported');
      });
    } catch (error) {
      // Read and drop the rest of a body we stopped reading, so the client can finish sending.
      body.unpipe();
      body.resume();
      if (isDomainError(error) && error.code === UsageErrorCode.ImportTooLarge) throw error;
      if (!(error instanceof Refusal) && !isDomainError(error)) throw error;
      if (isDomainError(error)) addError({ line: 0, field: error.fields[0]?.field ?? 'body', problem: error.message });
      const refused = batchRecord('refused');
      await this.em.fork().insert(refused);
      return refused;
    }
  }

  async find(id: string): Promise<UsageImport> {
    const found = /^[0-9a-f-]{36}$/i.test(id) ? await this.em.fork().findOne(UsageImport, { id }) : null;
    if (!found) throw DomainError.notFound(UsageErrorCode.ImportNotFound, `usage import ${id} does not exist`);
    return found;
  }

  /** Checks the batch's references, inserts its lines, and sorts out the transaction IDs already taken. */
  private async insertBatch(
    tx: EntityManager,
    importId: string,
    lines: ValidLine[],
    references: UsageReferences,
    counts: { imported: number; duplicates: number },
    addError: (error: UsageImportError) => void,
  ): Promise<void> {
    if (!lines.length) return;
    await references.loadClients(lines.map((l) => l.fields.clientId));
    const valid: ValidLine[] = [];
    for (const l of lines) {
      const client = references.clientProblem(l.fields.clientId);
      if (client) addError({ line: l.line, field: 'clientId', problem: client });
      const period = billingPeriod(l.fields.period, this.config.operatorTimeZone);
      const sku = await references.skuProblem(l.fields.sku, { kind: 'line', from: period.start, to: period.end });
      if (sku) addError({ line: l.line, field: 'sku', problem: sku });
      if (!client && !sku) valid.push(l);
    }
    if (!valid.length) return;
    const rows = valid.map((l) => ({
      id: randomUUID(),
      transaction_id: l.fields.transactionId,
      client_id: l.fields.clientId,
      sku: l.fields.sku,
      quantity: l.fields.quantity.toFixed(),
      period: l.fields.period,
      description: l.fields.description,
      usage_import_id: importId,
      line_number: l.line,
    }));
    const inserted = await tx.execute<Array<{ transaction_id: string }>>(
      `insert into usage_line (id, transaction_id, client_id, sku, quantity, period, description, usage_import_id, line_number)
       select x.id, x.transaction_id, x.client_id, x.sku, x.quantity, x.period, x.description, x.usage_import_id, x.line_number
       from json_to_recordset(?::json) as x(id uuid, transaction_id text, client_id uuid, sku text, quantity numeric, period text, description text, usage_import_id uuid, line_number int)
       on conflict (transaction_id) do nothing
       returning transaction_id`,
      [JSON.stringify(rows)],
    );
    counts.imported += inserted.length;
    const insertedIds = new Set(inserted.map((r) => r.transaction_id));
    const taken = valid.filter((l) => !insertedIds.has(l.fields.transactionId));
    if (!taken.length) return;
    const existing = await tx.execute<
      Array<{
        transaction_id: string;
        client_id: string;
        sku: string;
        quantity: string;
        period: string;
        description: string | null;
        usage_import_id: string;
        line_number: number;
      }>
    >(
      `select transaction_id, client_id, sku, quantity::text as quantity, period, description, usage_import_id, line_number
       from usage_line where transaction_id in (select value from json_array_elements_text(?::json))`,
      [JSON.stringify(taken.map((l) => l.fields.transactionId))],
    );
    const byId = new Map(existing.map((row) => [row.transaction_id, row]));
    for (const l of taken) {
      const row = byId.get(l.fields.transactionId)!;
      const same =
        row.client_id === l.fields.clientId &&
        row.sku === l.fields.sku &&
        new Dec(row.quantity).equals(l.fields.quantity) &&
        row.period === l.fields.period &&
        (row.description ?? null) === l.fields.description;
      if (same) counts.duplicates++;
      else {
        const where = row.usage_import_id === importId ? `line ${row.line_number} of this file` : `line ${row.line_number} of import ${row.usage_import_id}`;
        addError({ line: l.line, field: 'transactionId', problem: `was already used for a different usage line (${where})` });
      }
    }
  }
}
