/** Prints the shipped platform config as JSON — used by the benchmark to build large apps from it. */
import { platform } from '../config/environments';

process.stdout.write(JSON.stringify(platform));
