import { Entity, Enum, Index, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const USAGE_IMPORT_FORMATS = ['csv', 'ndjson', 'json'] as const;
export type UsageImportFormat = (typeof USAGE_IMPORT_FORMATS)[number];
export const USAGE_IMPORT_STATUSES = ['imported', 'refused'] as const;
export type UsageImportStatus = (typeof USAGE_IMPORT_STATUSES)[number];

/** One problem of a refused import, at a line of the file (1 = the first line, a CSV header). */
export interface UsageImportError {
  line: number;
  field: string;
  problem: string;
}

/**
 * A usage import batch: a file of usage lines, imported whole or refused whole. A refused batch
 * keeps its first errors (line-numbered) and writes no line.
 */
@Entity({ tableName: 'usage_import' })
@Index({ properties: ['createdAt'] })
export class UsageImport {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 300, nullable: true })
  fileName?: string | null;

  @Enum({ items: () => USAGE_IMPORT_FORMATS, nativeEnumName: 'usage_import_format' })
  format!: UsageImportFormat;

  @Enum({ items: () => USAGE_IMPORT_STATUSES, nativeEnumName: 'usage_import_status' })
  status!: UsageImportStatus;

  /** Lines with data (a CSV header and blank lines are not counted). */
  @Property({ type: 'integer', default: 0 })
  lineCount: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  importedCount: number & Opt = 0;

  /** Lines whose transaction ID was already recorded with the same content: ignored. */
  @Property({ type: 'integer', default: 0 })
  duplicateCount: number & Opt = 0;

  @Property({ type: 'integer', default: 0 })
  errorCount: number & Opt = 0;

  /** The first errors, in line order (at most USAGE_IMPORT_MAX_ERRORS). */
  @Property({ type: 'json', nullable: true })
  errors?: UsageImportError[] | null;

  /** The body's size in bytes (after decompression). */
  @Property({ type: 'integer', default: 0 })
  byteCount: number & Opt = 0;

  @Property({ type: 'string', length: 200 })
  createdBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  completedAt: Date & Opt = new Date();
}
