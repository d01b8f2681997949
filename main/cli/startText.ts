/**
 * The lines `npm start` (scripts/start.mjs) prints itself, in the person's language as the CLI
 * picks it (LC_ALL, LC_MESSAGES, LANG) from the same catalogs. The build makes this module its
 * own file (dist/cli/startText.js) so the start script can import it once the build is done.
 */
import { cliText } from './language.js';

export function fetchingRuntimeLine(env: NodeJS.ProcessEnv): string {
  return cliText(env).t('cli.start.fetchingRuntime');
}
