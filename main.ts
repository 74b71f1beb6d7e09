/**
 * Entry point: validates the environment config, builds one web stack per environment, synthesizes.
 * Nothing is built or written when the config has a problem.
 */
import { App } from 'cdktf';
import { platform } from './config/environments';
import { ConfigError, assertValidConfig } from './config/validate';
import { WebStack } from './stacks/web-stack';

try {
  assertValidConfig(platform);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const app = new App();
for (const environment of platform.environments) {
  new WebStack(app, { project: platform.project, environment });
}
app.synth();
