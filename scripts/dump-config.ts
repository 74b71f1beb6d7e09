/** Prints one shipped environment (argument: its name) as JSON — used by the benchmark to build large apps. */
import { platform } from '../config/environments';

const name = process.argv[3] ?? process.argv[2];
const env = platform.environments.find((e) => e.name === name);
if (!env) {
  console.error(`No environment named ${JSON.stringify(name)}; have: ${platform.environments.map((e) => e.name).join(', ')}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(env));
