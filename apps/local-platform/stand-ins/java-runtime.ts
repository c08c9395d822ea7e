import { spawnSync } from 'node:child_process';

export const JAVA_INSTALL_HINT =
  'Java 17 or newer is required to run Amazon DynamoDB Local (the local DynamoDB stand-in). ' +
  'Install it, e.g. on Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless';

/** Fails with the install hint when no Java 17+ is on PATH. */
export function assertJava17(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const banner = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(banner);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (result.error || major < 17) throw new Error(JAVA_INSTALL_HINT);
}
