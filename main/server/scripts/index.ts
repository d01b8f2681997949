/**
 * The server-side scripts, as text: real .sh files (checked by shellcheck in `npm run lint`)
 * that the build (esbuild's text loader), vitest (a vite plugin) and tsx (a Node load hook)
 * all import as a string; see scripts/shellScriptText.mjs.
 */
import dnsblProbeScript from './dnsbl-probe.sh';
import inboundReadScript from './inbound-read.sh';
import inspectScript from './inspect.sh';
import outboundProbeScript from './outbound-probe.sh';
import reportsDiscoverScript from './reports-discover.sh';
import reportsPtrScript from './reports-ptr.sh';
import reportsReadScript from './reports-read.sh';
import sendTestScript from './send-test.sh';
import smtpdListenerScript from './smtpd-listener.sh';
import transactionScript from './transaction.sh';

export {
  dnsblProbeScript,
  inboundReadScript,
  inspectScript,
  outboundProbeScript,
  reportsDiscoverScript,
  reportsPtrScript,
  reportsReadScript,
  sendTestScript,
  smtpdListenerScript,
  transactionScript,
};
