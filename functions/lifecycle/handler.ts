import { loadLifecycleConfig } from './config.ts';
import { createLifecycleHandler, wireLifecycle } from './wiring.ts';

export const handler = createLifecycleHandler(wireLifecycle(loadLifecycleConfig()));
