import { MAX_NOTIFICATION_BODY_BYTES } from '../../domain/ehr-notification.ts';
import {
  EhrNotificationBodySchema,
  EhrNotificationHeadersSchema,
  EhrNotificationPathSchema,
  EhrNotificationReceiptSchema,
} from '../requests/ehr-notification-requests.ts';
import { defineRoute } from '../route-record.ts';

export const EHR_NOTIFICATION_ROUTES = [
  defineRoute({
    routeKey: 'POST /v1/ehr/notifications/{tenantId}',
    operationId: 'receiveEhrNotification',
    function: 'ehr-notifications',
    // The EHR holds no platform token: the per-subscription secret header authenticates it instead.
    isAuthenticated: false,
    scopes: [],
    summary: "The tenant's EHR reports changed Patients and Appointments (FHIR R4 rest-hook, id-only)",
    request: {
      path: EhrNotificationPathSchema,
      headers: EhrNotificationHeadersSchema,
      body: EhrNotificationBodySchema,
    },
    isBodyOptional: true,
    maxBodyBytes: MAX_NOTIFICATION_BODY_BYTES,
    status: 202,
    response: EhrNotificationReceiptSchema,
    problems: [401, 413, 429, 502, 503],
  }),
] as const;
