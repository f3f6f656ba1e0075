import { ValidateBy, type ValidationArguments } from 'class-validator';
import { instantProblem } from '@wholesail/domain';

/**
 * Money, percentages and quantities travel as decimal strings ("12.50"), never JSON numbers: a
 * binary float cannot hold 0.1. These check the shape only (digits, at most 6 decimals, an
 * optional minus so that the domain can say "must not be negative"); the pricing engine checks
 * the bounds and names the field.
 */
export const DECIMAL_SCALE = 6;

export function decimalPattern(integerDigits: number): RegExp {
  return new RegExp(`^-?\\d{1,${integerDigits}}(\\.\\d{1,${DECIMAL_SCALE}})?$`);
}

export function decimalProblem(value: unknown, integerDigits: number, example: string): string {
  if (typeof value === 'number') return `$property must be a decimal string such as "${example}", not a JSON number`;
  return `$property must be a decimal string such as "${example}" (at most ${integerDigits} digits before the point and ${DECIMAL_SCALE} after)`;
}

/** A decimal string with at most `integerDigits` digits before the point (the column's precision). */
export function IsDecimalString(integerDigits: number, example: string): PropertyDecorator {
  const pattern = decimalPattern(integerDigits);
  return ValidateBy({
    name: 'isDecimalString',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && pattern.test(value),
      defaultMessage: (args?: ValidationArguments) => decimalProblem(args?.value, integerDigits, example),
    },
  });
}

/**
 * An ISO 8601 instant with an explicit offset (a bare date's midnight depends on a time zone)
 * between 1970 and 9999: the domain's `instantProblem` is the rule.
 */
export function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && instantProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => `$property ${instantProblem(typeof args?.value === 'string' ? args.value : null)}`,
    },
  });
}
