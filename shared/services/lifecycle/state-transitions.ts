import { ConflictError } from '../../domain/errors.ts';
import type { InstallationState } from '../../domain/installation.ts';

export type LifecycleAction = 'enable' | 'disable' | 'uninstall' | 'update' | 'invoke';

/** installed (disabled) → enabled ⇄ disabled → uninstalled; updates apply in any installed state. */
const ALLOWED: Readonly<Record<LifecycleAction, readonly InstallationState[]>> = {
  enable: ['installed', 'disabled'],
  disable: ['enabled'],
  uninstall: ['installed', 'disabled'],
  update: ['installed', 'enabled', 'disabled'],
  invoke: ['enabled'],
};

export function assertTransition(action: LifecycleAction, state: InstallationState): void {
  if (!ALLOWED[action].includes(state)) {
    throw new ConflictError(
      action === 'invoke' ? 'PLUGIN_NOT_ENABLED' : 'ILLEGAL_TRANSITION',
      action === 'invoke'
        ? 'The plugin is not enabled in this tenant.'
        : `A plugin that is ${state} cannot be ${action === 'uninstall' ? 'uninstalled (disable it first)' : `${action}d`}.`,
      { field: 'state' },
    );
  }
}
