import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApiFieldError {
  @ApiProperty({ example: 'status' })
  field!: string;

  @ApiProperty({ example: 'must be one of: active, suspended, closed' })
  problem!: string;
}

/** The one error body every failure returns. */
export class ApiErrorBody {
  @ApiProperty({ example: 'VALIDATION_FAILED' })
  code!: string;

  @ApiProperty({ example: 'status must be one of: active, suspended, closed' })
  message!: string;

  @ApiPropertyOptional({ type: [ApiFieldError] })
  fields?: ApiFieldError[];
}
