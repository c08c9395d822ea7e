import { DomainError, type ErrorCode, type FieldIssue } from '../../domain/errors.ts';

/** Refusals of the validation pipeline: each names its rule (the code) and the field at fault. */
export class PluginRefusedError extends DomainError {
  constructor(code: ErrorCode, message: string, options: { field: string; errors?: readonly FieldIssue[] }) {
    super(code, message, options);
  }
}
