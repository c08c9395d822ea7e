import { DomainError } from './domain-error.ts';

/** The tenant policy refusing a plugin: each message names the rule, each field the value at fault. */

export const permissionNotAllowed = (permission: string, field: string) =>
  new DomainError(
    'PERMISSION_NOT_ALLOWED',
    `The tenant policy (rule allowedPermissions) does not allow ${permission}.`,
    { field },
  );

export const policyViolation = (message: string, field: string) =>
  new DomainError('POLICY_VIOLATION', message, { field });
