import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateBy, type ValidationArguments } from 'class-validator';
import type { PriceRule, PriceRuleKind } from '@wholesail/domain';
import { PRICE_RULE_KINDS, toEngineRule } from '@wholesail/persistence';
import { decimalPattern, decimalProblem } from '../../common/decimal-string';

/** Percentages fit numeric(12,6), prices numeric(20,6). */
export const PERCENT_DIGITS = 6;
export const PRICE_DIGITS = 14;

/**
 * The value of a rule of one kind: required, and a decimal string, when the rule is of that kind;
 * absent otherwise, so that `{kind: "uplift", discountPercent: "5"}` is refused, not half-read.
 */
function RuleValue(kind: PriceRuleKind, integerDigits: number, example: string): PropertyDecorator {
  const pattern = decimalPattern(integerDigits);
  const ruleKind = (args?: ValidationArguments) => (args?.object as { kind?: unknown } | undefined)?.kind;
  return ValidateBy({
    name: 'ruleValue',
    constraints: [pattern],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        ruleKind(args) === kind ? typeof value === 'string' && pattern.test(value) : value === undefined,
      defaultMessage: (args?: ValidationArguments) => {
        if (ruleKind(args) !== kind) return `$property applies only to ${kind} rules`;
        if (args?.value === undefined || args.value === null) return `$property is required for a ${kind} rule`;
        return decimalProblem(args.value, integerDigits, example);
      },
    },
  });
}

/** A rule as sent: its kind and exactly the one value that kind takes. */
export class PriceRuleDto {
  @ApiProperty({
    enum: PRICE_RULE_KINDS,
    description: 'uplift: % over cost; discount: % off the list price (cost + default uplift); fixed: a unit price whatever the cost',
  })
  @IsIn(PRICE_RULE_KINDS, { message: `kind must be one of: ${PRICE_RULE_KINDS.join(', ')}` })
  kind!: PriceRuleKind;

  @ApiPropertyOptional({ example: '15', description: 'uplift rules: percent over cost, ≥ 0 (decimal string)' })
  @RuleValue('uplift', PERCENT_DIGITS, '15')
  upliftPercent?: string;

  @ApiPropertyOptional({ example: '10', description: 'discount rules: percent off the list price, 0–100 (decimal string)' })
  @RuleValue('discount', PERCENT_DIGITS, '10')
  discountPercent?: string;

  @ApiPropertyOptional({ example: '9.90', description: 'fixed rules: the unit price per month, ≥ 0 (decimal string)' })
  @RuleValue('fixed', PRICE_DIGITS, '9.90')
  fixedUnitPrice?: string;
}

export function toEngineRuleFromDto(dto: PriceRuleDto): PriceRule<string> {
  switch (dto.kind) {
    case 'uplift':
      return { kind: 'uplift', upliftPercent: dto.upliftPercent! };
    case 'discount':
      return { kind: 'discount', discountPercent: dto.discountPercent! };
    case 'fixed':
      return { kind: 'fixed', fixedUnitPrice: dto.fixedUnitPrice! };
  }
}

/** A stored rule as the API shows it: its kind and its one value, e.g. `{kind: "discount", discountPercent: "10"}`. */
export class PriceRuleView {
  @ApiProperty({ enum: PRICE_RULE_KINDS }) kind!: PriceRuleKind;
  @ApiPropertyOptional() upliftPercent?: string;
  @ApiPropertyOptional() discountPercent?: string;
  @ApiPropertyOptional() fixedUnitPrice?: string;
}

export function ruleView(kind: PriceRuleKind, value: string): PriceRuleView {
  return toEngineRule(kind, value);
}
