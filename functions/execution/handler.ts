import { loadExecutionConfig } from './config.ts';
import { createExecutionFunctionHandler } from './wiring.ts';

/** The only reader of the Lambda environment: parsed once, at cold start. */
export const handler = createExecutionFunctionHandler(loadExecutionConfig(process.env));
