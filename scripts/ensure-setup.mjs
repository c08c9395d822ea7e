// Runs on whatever Node the machine has (20 on a fresh box), before anything needs Node 24:
// it installs the locked dependencies (which bring Node 24 as the `node` devDependency) when they
// are missing or stale, and checks the one system prerequisite, Java 17+ for DynamoDB Local.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.gradiant-setup-stamp');
const lockFile = join(root, 'package-lock.json');
const log = (message) => process.stderr.write(`[setup] ${message}\n`);

function lockDigest() {
  const hash = createHash('sha256');
  hash.update(readFileSync(lockFile));
  hash.update(readFileSync(join(root, 'package.json')));
  return hash.digest('hex');
}

function installDependencies() {
  const digest = lockDigest();
  const nodeBinary = join(root, 'node_modules', '.bin', 'node');
  if (existsSync(stampFile) && existsSync(nodeBinary) && readFileSync(stampFile, 'utf8') === digest) return;
  log('installing locked dependencies (npm ci); this brings Node 24 into node_modules/.bin');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    log('npm ci failed; see the output above');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, digest);
}

function checkJava() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const banner = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(banner);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (result.error || major < 17) {
    log('Java 17 or newer is required to run Amazon DynamoDB Local (the local DynamoDB stand-in).');
    log('Install it, e.g. on Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless');
    process.exit(1);
  }
}

installDependencies();
checkJava();
