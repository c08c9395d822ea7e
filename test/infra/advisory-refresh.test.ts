import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_REFRESH_SERVICE_NAME } from '../../infra/constructs/advisory-refresh.ts';
import {
  FIXTURE_ENTRIES,
  FIXTURE_HANDLER,
  resourcesOfType,
  type SynthesizedPlatform,
  synthPlatform,
} from './synth-platform.ts';

const DEPLOYED_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_gradiant';

type Statement = { Action: string | string[]; Resource: unknown };

describe('the scheduled advisory refresh', () => {
  let platform: SynthesizedPlatform;
  let api: Template;

  beforeAll(() => {
    platform = synthPlatform({
      compliancePacks: true,
      cloudFormationValidation: false,
      context: {
        'gradiant:jwtIssuer': DEPLOYED_ISSUER,
        'gradiant:jwksUrl': `${DEPLOYED_ISSUER}/.well-known/jwks.json`,
      },
      platform: {
        executionEntry: FIXTURE_HANDLER,
        entries: FIXTURE_ENTRIES,
      },
    });
    api = platform.template(platform.stacks.api);
  });

  const refresherLogicalId = () => {
    const found = resourcesOfType([api], 'AWS::Lambda::Function').find(
      ([, properties]) =>
        (properties.Environment as { Variables: Record<string, unknown> }).Variables
          .POWERTOOLS_SERVICE_NAME === ADVISORY_REFRESH_SERVICE_NAME,
    );
    return found?.[0];
  };

  it('synthesizes with zero unacknowledged findings', () => {
    const violations = (platform.report?.pluginReports ?? []).flatMap((report) =>
      report.violations.map((violation) => `${report.pluginName}: ${violation.ruleName}`),
    );

    expect(platform.synthError).toBeUndefined();
    expect(violations).toEqual([]);
  });

  it('runs the refresh every six hours, one at a time', () => {
    const id = refresherLogicalId();
    const rules = resourcesOfType([api], 'AWS::Events::Rule').filter(([, properties]) =>
      JSON.stringify(properties.Targets).includes(String(id)),
    );

    expect(id).toBeDefined();
    expect(rules.map(([, properties]) => properties.ScheduleExpression)).toEqual(['rate(6 hours)']);
    expect(
      resourcesOfType([api], 'AWS::Lambda::Function').find(([logicalId]) => logicalId === id)?.[1],
    ).toMatchObject({ ReservedConcurrentExecutions: 1 });
  });

  it('grants the tables, the outbox and advisories/ of the artifact bucket, and no signing or bus access', () => {
    const policies = [
      ...resourcesOfType([api], 'AWS::IAM::Policy'),
      ...resourcesOfType([api], 'AWS::IAM::ManagedPolicy'),
    ].filter(([logicalId]) => logicalId.startsWith('AdvisoryRefreshRefresher'));
    const statements = policies.flatMap(
      ([, properties]) => (properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    const s3Resources = statements
      .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')))
      .map((statement) => JSON.stringify(statement.Resource));

    expect(policies.length).toBeGreaterThan(0);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 's3:GetObject', 's3:PutObject']));
    expect(actions).not.toContain('kms:Sign');
    expect(actions).not.toContain('events:PutEvents');
    expect(actions).not.toContain('s3:ListBucket');
    for (const resource of s3Resources) expect(resource).toContain('/advisories/*');
  });
});
