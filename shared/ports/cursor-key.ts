/**
 * The platform's secret for authenticating pagination cursors: 32 bytes or more, the same in every
 * instance of every function that issues cursors (a cursor issued by one instance is opened by
 * another). Loaded once per cold start; a source that cannot produce it fails the request rather
 * than letting an unauthenticated cursor through.
 */
export interface CursorKeySource {
  key(): Promise<Uint8Array>;
}
