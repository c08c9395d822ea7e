import { z } from 'zod';
import { AdvisoryFindingSchema } from '../domain/dependency-scan.ts';
import {
  type AnswerCode,
  ERROR_CODES,
  type ErrorCode,
  UNEXPECTED_ERROR_CODE,
} from '../domain/errors/error-codes.ts';

const ANSWER_CODES: readonly AnswerCode[] = [
  ...(Object.keys(ERROR_CODES) as ErrorCode[]),
  UNEXPECTED_ERROR_CODE,
];

/**
 * The RFC 9457 problem every refusal answers (`toProblem` in problem.ts), as the OpenAPI document
 * and clients read it. Loose: a refusal may add stable extension members from its facts (ids only).
 */
export const ProblemSchema = z.looseObject({
  type: z.string().describe('`/problems/<code in kebab-case>`'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().describe('The request id'),
  code: z
    .enum(ANSWER_CODES)
    .describe('Stable; never changes once shipped. Each status lists the codes it carries.'),
  errors: z
    .array(
      z.object({
        field: z.string().describe('`path.<name>`, `query.<name>`, `headers.<name>` or `body.<path>`'),
        message: z.string(),
      }),
    )
    .optional(),
  findings: z
    .array(AdvisoryFindingSchema.pick({ package: true, version: true, advisoryId: true, severity: true }))
    .optional()
    .describe('VULNERABLE_DEPENDENCY: every bundled component an advisory affects'),
});
