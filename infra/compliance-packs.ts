import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 runs as a policy-validation plugin (no longer an Aspect): `app.synth()` throws on any
 * unacknowledged finding and writes `validation-report.json` into the cloud assembly.
 */
export function addCompliancePacks(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
}

/**
 * Acknowledges exactly one finding on exactly one construct (the resource, or the L2 that owns
 * only that resource). IAM4/IAM5 ids carry their `[...]` suffix, so one call covers one statement.
 */
export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

/**
 * Acknowledges the one IAM5 finding for `resource` (e.g. `bucket.arnForObjects('*')`) in `policy`.
 * The finding id embeds the resource as cdk-nag prints it, which for a cross-stack reference is an
 * export name that depends on stack names; so it is computed once references are resolved (the
 * validation phase runs after that and before cdk-nag), never hard-coded per stage.
 */
export function acknowledgeWildcardResource(policy: IConstruct, resource: string, reason: string): void {
  policy.node.addValidation({
    validate: () => {
      const printed = printReference(Stack.of(policy).resolve(resource));
      acknowledge(policy, `AwsSolutions-IAM5[Resource::${printed}]`, reason);
      return [];
    },
  });
}

/** The same flattening cdk-nag applies to policy resources (utils/flatten-cfn-reference). */
function printReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
      return items.map(printReference).join(delimiter);
    }
    if (record['Fn::Sub'] !== undefined) return printReference(record['Fn::Sub']);
    if (Array.isArray(record['Fn::GetAtt'])) {
      const [resourceId, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
      return `<${printReference(resourceId)}.${printReference(attribute)}>`;
    }
    if (record['Fn::ImportValue'] !== undefined) return printReference(record['Fn::ImportValue']);
    if (record.Ref !== undefined) return `<${printReference(record.Ref)}>`;
  }
  return JSON.stringify(node);
}
