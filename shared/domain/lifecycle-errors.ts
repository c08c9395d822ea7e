import { ConflictError, DomainError } from './errors.ts';
import type { InstallationState } from './installation.ts';

/**
 * A state reason is set by the platform (`auto:error-rate`, `awaiting-consent`, `revoked`), but it
 * is stored text: only a value shaped like one of those reaches a caller, anything else is dropped.
 */
const STATE_REASON_PATTERN = /^[a-z][a-z0-9:-]{0,63}$/;

/** 409: why the plugin cannot run, with its state and the platform's reason as stable members. */
export function pluginNotEnabled(state: InstallationState, stateReason?: string): ConflictError {
  const reason =
    stateReason !== undefined && STATE_REASON_PATTERN.test(stateReason) ? stateReason : undefined;
  return new ConflictError(
    'PLUGIN_NOT_ENABLED',
    `The plugin is ${state} in this tenant${reason ? ` (${reason})` : ''}; enable it to run it.`,
    { field: 'id', facts: { state, ...(reason ? { stateReason: reason } : {}) } },
  );
}

export function illegalTransition(action: string, state: InstallationState): ConflictError {
  return new ConflictError(
    'ILLEGAL_TRANSITION',
    `A plugin that is ${state} cannot be ${action === 'uninstall' ? 'uninstalled (disable it first)' : `${action}d`}.`,
    { field: 'id', facts: { state } },
  );
}

/** 409: the requested version is the installed one, so there is nothing to update to. */
export const versionNotNewer = (version: string) =>
  new DomainError('VERSION_NOT_NEWER', `Version ${version} is already installed.`, { field: 'version' });
