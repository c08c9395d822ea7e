import { loadExecutionConfig } from './config.ts';
import { createExecutionHandler } from './dispatch.ts';
import { wireExecution } from './wiring.ts';

export const handler = createExecutionHandler(wireExecution(loadExecutionConfig()));
