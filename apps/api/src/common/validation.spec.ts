import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { createValidationPipe, nullProblems } from './validation';

class Line {
  @ApiProperty() @IsString() sku!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() ref?: string | null;
}

class Body {
  @ApiPropertyOptional() @IsOptional() @IsString() name?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() taxId?: string | null;
  @ApiPropertyOptional({ type: [Line] }) @IsOptional() @ValidateNested({ each: true }) @Type(() => Line) lines?: Line[];
}

describe('null in a body', () => {
  it('is refused where the document does not declare the property nullable, at any depth', () => {
    expect(nullProblems({ name: null, taxId: null, lines: [{ sku: 'A', ref: null }, { sku: null }] }, Body)).toEqual([
      { field: 'name', problem: 'must not be null' },
      { field: 'lines[1].sku', problem: 'must not be null' },
    ]);
    expect(nullProblems({ name: 'x', taxId: null }, Body)).toEqual([]);
  });

  it('gets a 400 naming the field from the global pipe, though @IsOptional() lets it through class-validator', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform({ name: null }, { type: 'body', metatype: Body })).rejects.toMatchObject({
      response: { code: 'VALIDATION_FAILED', fields: [{ field: 'name', problem: 'must not be null' }] },
    });
    await expect(pipe.transform({ taxId: null }, { type: 'body', metatype: Body })).resolves.toMatchObject({ taxId: null });
  });
});
