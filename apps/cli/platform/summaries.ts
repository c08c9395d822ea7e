import type { Installation } from '../../../shared/client/index.ts';

/** One line per installation change: what a person at a terminal wants to see. */
export const installationLine = (installation: Installation) =>
  `${installation.pluginId} ${installation.version}: ${installation.state} in tenant ${installation.tenantId}` +
  (installation.grants ? ` (grants: ${installation.grants.permissions.join(', ') || 'none'})` : '');

/** A plain-text table: a header row, then each row, columns padded to their widest cell. */
export function tableOf(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
