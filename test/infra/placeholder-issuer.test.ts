import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FIXTURE_HANDLER, synthPlatform } from './synth-platform.ts';

const fixtures = {
  executionEntry: FIXTURE_HANDLER,
  entries: { platform: FIXTURE_HANDLER, lifecycle: FIXTURE_HANDLER, marketplace: FIXTURE_HANDLER },
};

/**
 * cdk.json ships a placeholder issuer so the templates synthesize out of the box; deployed, every
 * function refuses it at cold start. The synth says so, naming the setting to pass.
 */
describe('a placeholder identity provider', () => {
  it('synthesizes with a warning naming each placeholder setting', () => {
    const { stacks, synthError } = synthPlatform({ platform: fixtures, cloudFormationValidation: false });

    expect(synthError).toBeUndefined();
    const annotations = Annotations.fromStack(stacks.api);
    annotations.hasWarning(
      '*',
      Match.stringLikeRegexp('gradiant:jwtIssuer is the placeholder https://auth\\.example\\.invalid/'),
    );
    annotations.hasWarning('*', Match.stringLikeRegexp('gradiant:jwksUrl is the placeholder'));
  });

  it('says nothing for a real issuer', () => {
    const issuer = 'https://login.microsoftonline.com/tenant-id/v2.0';
    const { stacks } = synthPlatform({
      platform: fixtures,
      cloudFormationValidation: false,
      context: { 'gradiant:jwtIssuer': issuer, 'gradiant:jwksUrl': `${issuer}/discovery/v2.0/keys` },
    });

    expect(Annotations.fromStack(stacks.api).findWarning('*', Match.stringLikeRegexp('placeholder'))).toEqual(
      [],
    );
  });
});
