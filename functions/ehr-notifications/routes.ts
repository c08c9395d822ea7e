import type { RouteHandlersFor } from '../../shared/http/route-record.ts';
import type { EHR_NOTIFICATION_ROUTES } from '../../shared/http/routes/ehr-notification-routes.ts';
import {
  type HandleEhrNotificationDependencies,
  handleEhrNotification,
} from '../../shared/services/ehr/handle-ehr-notification.ts';

export type EhrNotificationRouteDependencies = HandleEhrNotificationDependencies;

export function ehrNotificationRoutes(
  deps: EhrNotificationRouteDependencies,
): RouteHandlersFor<typeof EHR_NOTIFICATION_ROUTES> {
  return {
    'POST /v1/ehr/notifications/{tenantId}': async (request) => {
      const receipt = await handleEhrNotification(
        {
          tenantId: request.path.tenantId,
          secret: request.headers['x-gradiant-notification-secret'],
          body: request.body,
        },
        deps,
      );
      return { body: receipt };
    },
  };
}
