import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { COMPLIANCE_RETENTION_DAYS, readPlatformSettings } from '../../infra/settings.ts';
import { StorageStack } from '../../infra/stacks/storage-stack.ts';
import { cdkJsonContext } from './synth-platform.ts';

const settingsWith = (context: Record<string, unknown>) =>
  readPlatformSettings(new App({ context: { ...cdkJsonContext(), ...context } }));

function storageTemplate(context: Record<string, unknown>): Template {
  const app = new App({
    context: { ...cdkJsonContext(), ...context },
    builtinCloudFormationValidation: false,
  });
  const settings = readPlatformSettings(app);
  const stack = new StorageStack(app, 'Storage', { settings, env: { region: settings.region } });
  return Template.fromStack(stack);
}

describe('platform settings from CDK context', () => {
  it('reads the cdk.json defaults and derives nothing it cannot justify', () => {
    const settings = settingsWith({});

    expect(settings).toMatchObject({
      stage: 'dev',
      region: 'us-east-1',
      isProduction: false,
      jwtIssuer: 'https://auth.example.invalid/',
      jwtAudience: 'gradiant-plugins',
      jwksUrl: 'https://auth.example.invalid/.well-known/jwks.json',
      complianceLockMode: 'COMPLIANCE',
      executionReservedConcurrency: 50,
    });
    expect(settings.platformVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reads the execution function’s reserved concurrency and refuses one too small or not a number', () => {
    expect(
      settingsWith({ 'gradiant:executionReservedConcurrency': '200' }).executionReservedConcurrency,
    ).toBe(200);
    expect(() => settingsWith({ 'gradiant:executionReservedConcurrency': 39 })).toThrow(
      /gradiant:executionReservedConcurrency/,
    );
    expect(() => settingsWith({ 'gradiant:executionReservedConcurrency': 'many' })).toThrow(
      /gradiant:executionReservedConcurrency/,
    );
  });

  it('derives the JWKS URL from the issuer when none is given', () => {
    expect(
      settingsWith({ 'gradiant:jwksUrl': undefined, 'gradiant:jwtIssuer': 'https://id.example.org' }).jwksUrl,
    ).toBe('https://id.example.org/.well-known/jwks.json');
  });

  it('refuses a non-https issuer, a bad stage and a missing audience, naming the key', () => {
    expect(() => settingsWith({ 'gradiant:jwtIssuer': 'http://id.example.org/' })).toThrow(
      /gradiant:jwtIssuer/,
    );
    expect(() => settingsWith({ 'gradiant:stage': 'Prod!' })).toThrow(/gradiant:stage/);
    expect(() => settingsWith({ 'gradiant:jwtAudience': '' })).toThrow(/gradiant:jwtAudience/);
  });

  it('keeps the prod compliance log in COMPLIANCE mode whatever context says', () => {
    expect(() =>
      settingsWith({ 'gradiant:stage': 'prod', 'gradiant:complianceLockMode': 'GOVERNANCE' }),
    ).toThrow(/COMPLIANCE/);
  });
});

describe('stateful resources per stage', () => {
  it('protects prod tables from deletion and retains them', () => {
    const template = storageTemplate({ 'gradiant:stage': 'prod' });

    const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    expect(tables.length).toBe(3);
    for (const table of tables) {
      expect(table).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { Replicas: [expect.objectContaining({ DeletionProtectionEnabled: true })] },
      });
    }
  });

  it('lets dev tables go with the stack but never the keys or buckets', () => {
    const template = storageTemplate({ 'gradiant:stage': 'dev' });

    for (const table of Object.values(template.findResources('AWS::DynamoDB::GlobalTable')))
      expect(table.DeletionPolicy).toBe('Delete');
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket'])
      for (const resource of Object.values(template.findResources(type)))
        expect(resource.DeletionPolicy).toBe('Retain');
  });

  it('allows a GOVERNANCE lock in a throwaway stage when asked', () => {
    const template = storageTemplate({
      'gradiant:stage': 'sandbox',
      'gradiant:complianceLockMode': 'GOVERNANCE',
    });

    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: COMPLIANCE_RETENTION_DAYS } },
      },
    });
  });
});
