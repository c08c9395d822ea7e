import type { InstallationState } from '../installation.ts';
import { DomainError } from './domain-error.ts';

/** Installations in one tenant: what is installed, in which state, at which version. */

/**
 * A state reason is set by the platform (`auto:error-rate`, `awaiting-consent`, `revoked`), but it
 * is stored text: only a value shaped like one of those reaches a caller, anything else is dropped.
 */
const STATE_REASON_PATTERN = /^[a-z][a-z0-9:-]{0,63}$/;

export const pluginNotInstalled = () =>
  new DomainError('PLUGIN_NOT_FOUND', 'No such plugin is installed in this tenant.');

export const alreadyInstalled = (cause?: unknown) =>
  new DomainError('ALREADY_INSTALLED', 'This plugin is already installed in the tenant.', {
    field: 'id',
    cause,
  });

/** 409: why the plugin cannot run, with its state and the platform's reason as stable members. */
export function pluginNotEnabled(state: InstallationState, stateReason?: string): DomainError {
  const reason =
    stateReason !== undefined && STATE_REASON_PATTERN.test(stateReason) ? stateReason : undefined;
  return new DomainError(
    'PLUGIN_NOT_ENABLED',
    `The plugin is ${state} in this tenant${reason ? ` (${reason})` : ''}; enable it to run it.`,
    { field: 'id', facts: { state, ...(reason ? { stateReason: reason } : {}) } },
  );
}

export function illegalTransition(action: string, state: InstallationState): DomainError {
  return new DomainError(
    'ILLEGAL_TRANSITION',
    `A plugin that is ${state} cannot be ${action === 'uninstall' ? 'uninstalled (disable it first)' : `${action}d`}.`,
    { field: 'id', facts: { state } },
  );
}

/** 409: the record changed between read and write; `what` names it for the caller. */
export const concurrentModification = (
  what: 'plugin' | 'policy' | 'review' | 'EHR connection',
  cause?: unknown,
) =>
  new DomainError(
    'CONCURRENT_MODIFICATION',
    what === 'review'
      ? 'Your review changed meanwhile; retry.'
      : `The ${what} changed meanwhile; read it again and retry.`,
    { cause },
  );

const PRECONDITION_FIELD = 'headers.if-match';

/** `what` names the resource replaced: the policy, or the EHR connection. */
export const preconditionRequired = (what = 'policy') =>
  new DomainError(
    'PRECONDITION_REQUIRED',
    `Send If-Match with the ETag of the ${what} you read; a replace without it could undo another change.`,
    { field: PRECONDITION_FIELD },
  );

export const preconditionFailed = (cause?: unknown, what = 'policy') =>
  new DomainError('PRECONDITION_FAILED', `The ${what} changed since it was read; read it again.`, {
    field: PRECONDITION_FIELD,
    ...(cause ? { cause } : {}),
  });

/** 409: the installed version was revoked after it was installed, so it may no longer run. */
export const revokedVersionCannotRun = () =>
  new DomainError('VERSION_REVOKED', 'This plugin version was revoked and cannot run.', { field: 'version' });

/** 409: the requested version is the installed one, so there is nothing to update to. */
export const versionNotNewer = (version: string) =>
  new DomainError('VERSION_NOT_NEWER', `Version ${version} is already installed.`, { field: 'version' });

export const downgradeRefused = (version: string, installed: string) =>
  new DomainError(
    'DOWNGRADE_REFUSED',
    `Version ${version} is lower than the installed ${installed}; send allowDowngrade to roll back deliberately.`,
    { field: 'version' },
  );
