import { illegalTransition, pluginNotEnabled } from '../../domain/errors/lifecycle-errors.ts';
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

/** Throws the lifecycle's 409; an invoke refusal names the state and the platform's reason. */
export function assertTransition(
  action: LifecycleAction,
  state: InstallationState,
  stateReason?: string,
): void {
  if (ALLOWED[action].includes(state)) return;
  throw action === 'invoke' ? pluginNotEnabled(state, stateReason) : illegalTransition(action, state);
}
