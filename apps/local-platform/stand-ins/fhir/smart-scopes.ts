/**
 * SMART App Launch v2 system scopes (`system/Patient.rs`), with the v1 forms (`.read`, `.write`,
 * `.*`) that some EHRs still grant read as their v2 letters.
 */
const PERMISSION_ORDER = ['c', 'r', 'u', 'd', 's'] as const;
type Permission = (typeof PERMISSION_ORDER)[number];

interface SystemScope {
  readonly resourceType: string;
  readonly permissions: ReadonlySet<Permission>;
}

const V1_PERMISSIONS: Record<string, readonly Permission[]> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': PERMISSION_ORDER,
};

function parseScope(scope: string): SystemScope | undefined {
  const match = /^system\/([A-Za-z]+|\*)\.([a-z*]+)$/.exec(scope);
  if (!match?.[1] || !match[2]) return undefined;
  const letters = V1_PERMISSIONS[match[2]] ?? [...match[2]];
  if (!letters.every((letter) => (PERMISSION_ORDER as readonly string[]).includes(letter))) return undefined;
  return { resourceType: match[1], permissions: new Set(letters as Permission[]) };
}

function parseScopes(scopes: readonly string[]): SystemScope[] {
  return scopes.flatMap((scope) => parseScope(scope) ?? []);
}

/** What the client asked for, cut down to what it was registered for, in SMART v2 notation. */
export function grantScopes(requested: readonly string[], registered: readonly string[]): string[] {
  const allowed = parseScopes(registered);
  return parseScopes(requested).flatMap((wanted) => {
    const letters = PERMISSION_ORDER.filter(
      (letter) =>
        wanted.permissions.has(letter) &&
        allowed.some(
          (scope) =>
            (scope.resourceType === '*' || scope.resourceType === wanted.resourceType) &&
            scope.permissions.has(letter),
        ),
    );
    return letters.length ? [`system/${wanted.resourceType}.${letters.join('')}`] : [];
  });
}

/** The permission letter a FHIR REST interaction (Medplum's route metadata names) needs. */
export function permissionFor(interaction: string): Permission | undefined {
  switch (interaction) {
    case 'read':
    case 'vread':
    case 'history-instance':
      return 'r';
    case 'search-type':
    case 'history-type':
      return 's';
    case 'create':
      return 'c';
    case 'update':
    case 'patch':
      return 'u';
    case 'delete':
      return 'd';
    default:
      return undefined; // batch, system search, operations: not offered by this stand-in
  }
}

export function isPermitted(granted: readonly string[], resourceType: string, interaction: string): boolean {
  const permission = permissionFor(interaction);
  if (!permission) return false;
  return parseScopes(granted).some(
    (scope) =>
      (scope.resourceType === '*' || scope.resourceType === resourceType) &&
      scope.permissions.has(permission),
  );
}
