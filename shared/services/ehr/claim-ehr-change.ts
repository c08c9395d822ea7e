import {
  classifyChange,
  type DataEventName,
  dataEventDetail,
  type SeenVersion,
} from '../../domain/ehr-change.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import type { EhrChangeLedger } from '../../ports/ehr-change-ledger.ts';
import { type EventSources, platformEvent } from '../platform-event.ts';

export interface ClaimEhrChangeDependencies extends EventSources {
  readonly ledger: EhrChangeLedger;
}

export type ClaimOutcome =
  /** This claim recorded the version; `event` is what it emitted (none for a change without one). */
  | { readonly status: 'claimed'; readonly event?: PlatformEvent | undefined }
  /** The ledger already holds this version: someone turned it into its event before. */
  | { readonly status: 'seen' }
  /** Another claim changed the ledger since `previousVersionId` was read: read again and retry. */
  | { readonly status: 'conflict' };

/**
 * Classifies `seen` against the ledger entry read before it and claims it with its event (ids
 * only, `causedBy` whoever made the change), both in one transaction.
 *
 * For the plugin API's writes (platform-host, once wired): after the EHR answered the written
 * record, call
 *   `claimEhrChange(deps, tenantId, seenVersionOf({ type, record }), pluginActor(pluginId), await deps.ledger.lastSeen(tenantId, type, id))`
 * and emit nothing of its own: the returned event is already in the outbox, and the EHR's
 * notification of that same version then finds it `seen`. On `conflict`, read `lastSeen` again
 * once: the same version there is `seen`; another means a newer change was already claimed.
 */
export async function claimEhrChange(
  deps: ClaimEhrChangeDependencies,
  tenantId: TenantId,
  seen: SeenVersion,
  causedBy: string,
  previous: Awaited<ReturnType<EhrChangeLedger['lastSeen']>>,
): Promise<ClaimOutcome> {
  if (previous?.versionId === seen.versionId) return { status: 'seen' };
  const name: DataEventName | undefined = classifyChange(previous, seen);
  const event =
    name === undefined
      ? undefined
      : platformEvent(name, tenantId, { ...dataEventDetail(seen), causedBy }, deps);
  const isClaimed = await deps.ledger.claim(tenantId, seen, previous?.versionId, event ? [event] : []);
  return isClaimed ? { status: 'claimed', event } : { status: 'conflict' };
}

/**
 * The plugin API's own write: the host knows what it did (`event`, named by the call), so only the
 * version is claimed, with that event in the same transaction. `seen` when the EHR's notification
 * of this very version was claimed first: its event stands and this write emits none.
 */
export async function claimOwnChange(
  ledger: EhrChangeLedger,
  tenantId: TenantId,
  seen: SeenVersion,
  event: PlatformEvent,
): Promise<'claimed' | 'seen'> {
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
    const previous = await ledger.lastSeen(tenantId, seen.type, seen.id);
    if (previous?.versionId === seen.versionId) return 'seen';
    if (await ledger.claim(tenantId, seen, previous?.versionId, [event])) return 'claimed';
  }
  throw new Error(`the change ledger entry of ${seen.type}/${seen.id} kept changing`);
}

/** Claims lost to concurrent ones before giving up (each loser re-reads the entry first). */
const MAX_CLAIM_ATTEMPTS = 3;
