import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpFunctionName, RouteDefinition } from '../../shared/http/route-table.ts';
import { acknowledge } from '../compliance-packs.ts';

export interface RouteTableApiProps {
  readonly routes: readonly RouteDefinition[];
  readonly functions: ReadonlyMap<HttpFunctionName, IFunction>;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly logKey: IKey;
  readonly throttle: Throttle;
  /** Stricter limits for some routes, by route key (API Gateway route settings). */
  readonly routeThrottles?: Readonly<Record<string, Throttle>>;
}

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * An HTTP API with exactly one route per route-table entry. API Gateway's JWT authorizer turns
 * away bad tokens and tokens lacking every listed scope before a Lambda runs; the handlers verify
 * the token again. CORS stays off: callers are EHR back ends, not browsers.
 */
export class RouteTableApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: RouteTableApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Gradiant Plugins API',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      encryptionKey: props.logKey,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [props.jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map(
      [...props.functions].map(([name, fn]) => [
        name,
        // One invoke permission per function rather than per route keeps the function's resource
        // policy small however many routes the table gains.
        new HttpLambdaIntegration(`${name}-integration`, fn, { scopePermissionToRoute: false }),
      ]),
    );

    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of props.routes) {
      const integration = integrations.get(route.function);
      if (!integration) throw new Error(`Route ${route.routeKey}: no function "${route.function}" was built`);
      if (!route.isAuthenticated && route.scopes.length > 0)
        throw new Error(`Route ${route.routeKey} lists scopes but is not authenticated`);
      const { method, path } = parseRouteKey(route.routeKey);
      const authorizer: IHttpRouteAuthorizer = route.isAuthenticated
        ? jwtAuthorizer
        : new HttpNoneAuthorizer();
      const httpRoute = new HttpRoute(this, routeConstructId(route.routeKey), {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(path, method),
        integration,
        authorizer,
        authorizationScopes: route.scopes.length > 0 ? [...route.scopes] : undefined,
      });
      const routeThrottle = props.routeThrottles?.[route.routeKey];
      if (routeThrottle) {
        routeSettings[route.routeKey] = {
          ThrottlingRateLimit: routeThrottle.rateLimit,
          ThrottlingBurstLimit: routeThrottle.burstLimit,
        };
        // Route settings name a route key, which must exist before the stage refers to it.
        this.stage.node.addDependency(httpRoute);
      }
      if (!route.isAuthenticated) {
        acknowledge(
          httpRoute.node.defaultChild as Construct,
          'AwsSolutions-APIG4',
          `${route.routeKey} is public by design in the route table (isAuthenticated: false), e.g. health checks (no tenant data), or EHR notifications (authenticated in the handler by the subscription secret).`,
        );
      }
    }
    for (const routeKey of Object.keys(props.routeThrottles ?? {})) {
      if (!routeSettings[routeKey])
        throw new Error(`A throttle names ${routeKey}, which is not in the route table`);
    }
    if (Object.keys(routeSettings).length > 0) {
      (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    }
  }
}

/**
 * No PHI in access logs: the route key (a template such as `GET /v1/plugins/{id}`) instead of the
 * raw path, no query string, no headers; the tenant id is an opaque identifier.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    routeKey: '$context.routeKey',
    status: '$context.status',
    sourceIp: '$context.identity.sourceIp',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    tenantId: '$context.authorizer.claims.tenant_id',
  }),
);

const METHODS: Readonly<Record<string, HttpMethod>> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
  HEAD: HttpMethod.HEAD,
  OPTIONS: HttpMethod.OPTIONS,
};

export function parseRouteKey(routeKey: string): { method: HttpMethod; path: string } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  const method = match?.[1] === undefined ? undefined : METHODS[match[1]];
  if (!match?.[2] || method === undefined) throw new Error(`Unsupported route key "${routeKey}"`);
  return { method, path: match[2] };
}

/** `GET /v1/plugins/{id}` → `GET-v1-plugins-id`: stable, so logical ids survive reordering. */
export function routeConstructId(routeKey: string): string {
  return routeKey.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
}
