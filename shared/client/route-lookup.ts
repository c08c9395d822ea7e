import type { RouteRecord } from '../http/route-record.ts';
import type { RecordOf } from './route-types.ts';

/**
 * The record of a route key, typed by its literal: the SDK's methods name the route they call
 * and get its schemas, so a route that is renamed or removed on the server fails the type check.
 */
export function routeOf<
  const Records extends readonly RouteRecord[],
  const Key extends Records[number]['routeKey'],
>(records: Records, routeKey: Key): RecordOf<Records, Key> {
  const record = records.find((candidate) => candidate.routeKey === routeKey);
  if (!record) throw new Error(`no route record ${routeKey}`);
  return record as RecordOf<Records, Key>;
}
