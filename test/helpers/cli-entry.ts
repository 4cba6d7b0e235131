// Runs the CLI from source, for tests that need a real child process (e.g. SIGKILL tests):
//   node --import tsx test/helpers/cli-entry.ts digest send …
import { main } from '../../src/cli/main.js';

main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
