import {
  type AddToPrincipalPolicyResult,
  type IPrincipal,
  ManagedPolicy,
  type PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface ManagedPolicyRoleProps {
  readonly assumedBy: IPrincipal;
  readonly description: string;
}

/**
 * A role whose every permission, including those CDK adds by itself (X-Ray, dead-letter queues,
 * grants), lands in one customer-managed policy. HIPAA.Security-IAMNoInlinePolicy rejects inline
 * policies, and one reviewable document per role is what least privilege is audited against.
 */
export class ManagedPolicyRole extends Role {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: ManagedPolicyRoleProps) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description });
    this.policy = new ManagedPolicy(this, 'Policy', { roles: [this], description: props.description });
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
