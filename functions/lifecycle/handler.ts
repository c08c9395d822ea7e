import { loadLifecycleConfig } from './config.ts';
import { createLifecycleHandler } from './wiring.ts';

export const handler = createLifecycleHandler(loadLifecycleConfig());
