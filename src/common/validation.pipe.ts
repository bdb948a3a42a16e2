import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CaveatError } from '../core/errors';

interface FieldError {
  field: string;
  reasons: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? (/^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    const own = e.constraints ? [{ field, reasons: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** DTO validation whose failures become `invalid_input` naming the first bad field (all listed in details). */
export function caveatValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const first = fields[0] ?? { field: 'body', reasons: ['is invalid'] };
      return new CaveatError('invalid_input', `${first.field}: ${first.reasons[0]}`, { field: first.field, errors: fields });
    },
  });
}
