import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { generateDkimKey } from '../main/services/keys/index.js';
import { median, round } from './stats.js';

const run = promisify(execFile);

export interface KeygenFigures {
  runs: number;
  bits: number;
  /** generateDkimKey (node-forge on Node's native crypto, PEM and p= included), per key. */
  homemailMs: { median: number; samples: number[] };
  /** `openssl genrsa BITS` per key, process start included. */
  opensslMs: { median: number; samples: number[] };
  /** `openssl version`: the process start inside opensslMs. */
  opensslStartMs: number;
  /** The OpenSSL inside Node (which generates Homemail's keys) and the one `openssl` runs. */
  nodeOpenssl: string;
  systemOpenssl: string;
}

/**
 * RSA key generation time: Homemail's generateDkimKey beside `openssl genrsa` in the same
 * run, alternating so both see the same machine load. Key generation time varies a lot
 * (prime search), hence the median of many keys.
 */
export async function keygenFigures(runs = 30, bits = 2048): Promise<KeygenFigures> {
  const homemail: number[] = [];
  const openssl: number[] = [];
  const starts: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    let start = performance.now();
    await generateDkimKey({ domain: 'bench.example', selector: `b${i}`, bits });
    homemail.push(performance.now() - start);
    start = performance.now();
    await run('openssl', ['genrsa', String(bits)], { maxBuffer: 1 << 20 });
    openssl.push(performance.now() - start);
    start = performance.now();
    await run('openssl', ['version']);
    starts.push(performance.now() - start);
  }
  const systemOpenssl = (await run('openssl', ['version'])).stdout.trim();
  return {
    runs,
    bits,
    homemailMs: { median: median(homemail), samples: homemail },
    opensslMs: { median: median(openssl), samples: openssl },
    opensslStartMs: median(starts),
    nodeOpenssl: `OpenSSL ${process.versions.openssl}`,
    systemOpenssl,
  };
}

/** One key the way forge makes it without native crypto: what assertNativeRsaPath refuses. */
export async function pureJavaScriptKeyMs(bits = 2048): Promise<number> {
  const options = (forge as unknown as { options: { usePureJavaScript: boolean } }).options;
  options.usePureJavaScript = true;
  try {
    const start = performance.now();
    await new Promise<void>((resolve, reject) => forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 }, (error) => (error ? reject(error) : resolve())));
    return performance.now() - start;
  } finally {
    options.usePureJavaScript = false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 30);
  const figures = await keygenFigures(runs);
  const pure = process.argv.includes('--pure-js') ? await pureJavaScriptKeyMs() : null;
  console.log(
    JSON.stringify(
      {
        runs: figures.runs,
        bits: figures.bits,
        homemailMedianMs: round(figures.homemailMs.median),
        opensslGenrsaMedianMs: round(figures.opensslMs.median),
        homemailRangeMs: [round(Math.min(...figures.homemailMs.samples)), round(Math.max(...figures.homemailMs.samples))],
        opensslRangeMs: [round(Math.min(...figures.opensslMs.samples)), round(Math.max(...figures.opensslMs.samples))],
        opensslProcessStartMs: round(figures.opensslStartMs),
        nodeOpenssl: figures.nodeOpenssl,
        systemOpenssl: figures.systemOpenssl,
        ...(pure === null ? {} : { pureJavaScriptOneKeyMs: round(pure) }),
      },
      null,
      2,
    ),
  );
}
