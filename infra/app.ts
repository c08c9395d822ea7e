import { App } from 'aws-cdk-lib';
import { addCompliancePacks } from './compliance-packs.ts';
import { createPlatform } from './platform.ts';
import { readPlatformSettings } from './settings.ts';

const app = new App();
addCompliancePacks(app);
createPlatform(app, readPlatformSettings(app));
app.synth();
