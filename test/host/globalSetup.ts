// Vitest globalSetup for the host suites: builds (or reuses) the base, starts the host and
// its DNS server, prints the start-up times, and always brings everything down at the end.
import { buildBase, hostAvailability, hostDown, hostPlatform, hostRequired, resetHost } from './testHost.js';

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** Starts the host once per run; the returned teardown stops it. */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const availability = hostAvailability();
  if (!availability.ok) {
    if (hostRequired()) throw new Error(`HOMEMAIL_REQUIRE_HOST=1 but the test host cannot run: ${availability.reason}`);
    console.log(`host suites SKIPPED: ${availability.reason}`);
    return undefined;
  }
  const platform = hostPlatform();
  const coldStart = performance.now();
  try {
    const base = await buildBase();
    const warmStart = performance.now();
    await resetHost('fresh');
    const cold = base.built ? `cold ${seconds(coldStart)} (base built)` : 'base reused';
    console.log(`host start-up (${platform}): ${cold}, warm ${seconds(warmStart)}`);
  } catch (e) {
    await hostDown().catch(() => undefined);
    throw e;
  }
  return async () => {
    await hostDown();
  };
}
