// Electronegativity fetches translations and release notes from the network as it runs; on
// a machine without internet its HTTP client throws uncaught errors that end the process
// before the scan is written. The scan itself needs no network: ignore exactly those
// network failures and let the scan finish. Anything else still ends the run (exit 70).
const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH']);

function isOfflineLookupFailure(error) {
  if (!(error instanceof Error)) return false;
  if (/onCancel` handler was attached after the promise settled/.test(error.message)) return true;
  return error.name === 'RequestError' && NETWORK_CODES.has(error.code);
}

process.on('uncaughtException', (error) => {
  if (isOfflineLookupFailure(error)) return;
  console.error(error);
  process.exit(70);
});
process.on('unhandledRejection', (error) => {
  if (isOfflineLookupFailure(error)) return;
  console.error(error);
  process.exit(70);
});
