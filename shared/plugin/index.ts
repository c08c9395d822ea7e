// `gradiant-plugins/plugin`: what a plugin author types against. Everything here is the
// platform's own types and constants re-exported, so the package cannot drift from the platform.
// The runtime part stays free of zod and the schemas: a plugin that imports a constant from here
// bundles a few bytes, not the platform's validation code.

export { MAX_ARTIFACT_BYTES } from '../domain/artifact-limits.ts';
export type {
  Appointment,
  AppointmentStatus,
  NewAppointment,
  Patient,
  PatientChanges,
  PatientSearchCriteria,
} from '../domain/ehr.ts';
export {
  type HttpRequest,
  type HttpResponse,
  type Manifest,
  PLUGIN_API_METHODS,
  type PlatformEventName,
  type Plugin,
  type PluginApi,
  type PluginApiError,
  type PluginEntry,
  type PluginEvent,
  type PluginManifest,
} from '../domain/plugin-api.ts';
export {
  API_ERROR_CODES,
  type ApiErrorCode,
  SANDBOX_ERROR_CODES,
  type SandboxErrorCode,
} from '../sandbox/errors.ts';
export type { JsonValue } from '../sandbox/schemas.ts';
