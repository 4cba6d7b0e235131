// The CLI as a program, for tests that need a real child process (e.g. SIGKILL tests); see
// cli-build.ts, which transpiles it with the sources. In-process runs use run-cli.ts instead.
import { main } from '../../src/cli/main.js';

main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
