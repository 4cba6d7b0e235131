// `paperboy` from source, for tests that spawn the CLI (bin/paperboy.js runs the build instead).
import { main } from '../../src/cli/main.js';

main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
