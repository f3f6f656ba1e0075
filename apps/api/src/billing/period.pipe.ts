import { Injectable, type PipeTransform } from '@nestjs/common';
import { parsePeriodId } from '@wholesail/domain';

/** A `:period` path parameter: `YYYY-MM`, or a 400 BILLING_INVALID_PERIOD naming `period`. */
@Injectable()
export class PeriodPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    parsePeriodId(value, 'period');
    return value;
  }
}
