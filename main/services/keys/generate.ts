import crypto from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { badInput, keyedError } from '../../../shared/errors.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow, problem } from '../../../shared/validation/problem.js';
import { normalizeSelector } from '../../../shared/validation/selector.js';
import type { DkimKeyType } from '../../../shared/records/types.js';
import { DEFAULT_RSA_BITS, rsaKeySizes, type DkimKey, type RsaKeySize } from './dkimKey.js';

export interface GenerateDkimKeyOptions {
  domain: string;
  selector: string;
  /** Default rsa. Ed25519 is only ever an additional key (RFC 8463). */
  type?: DkimKeyType;
  /** RSA only; default 2048. */
  bits?: number;
  signal?: AbortSignal;
}

// node-forge's typings leave out the runtime switches its key generator reads.
interface ForgeRuntime {
  options?: { usePureJavaScript?: boolean };
  /** Node's version string under Node (what forge tests for truthiness), false elsewhere. */
  util: { isNodejs?: string | boolean };
}

/**
 * node-forge generates RSA keys with Node's native `crypto.generateKeyPair` only when it is
 * not forced to pure JavaScript, runs on Node, and no custom PRNG is given
 * (node-forge/lib/rsa.js). Otherwise it silently computes primes in JavaScript: seconds
 * per key, blocking the main process. Refuse that instead of falling back.
 */
export function assertNativeRsaPath(runtime: ForgeRuntime = forge as unknown as ForgeRuntime): void {
  const native = runtime.options?.usePureJavaScript !== true && Boolean(runtime.util.isNodejs) && typeof crypto.generateKeyPair === 'function';
  if (!native) {
    throw keyedError('internal', { key: 'rsaPureJavaScript', params: {} }, { hint: { key: 'nativeRsaRuntime', params: {} } });
  }
}

function checkBits(type: DkimKeyType, bits: number | undefined): RsaKeySize | undefined {
  if (type === 'ed25519') {
    if (bits !== undefined) throw badInput('bits', problem('ed25519NoBits'));
    return undefined;
  }
  const size = bits ?? DEFAULT_RSA_BITS;
  if (!(rsaKeySizes as readonly number[]).includes(size)) throw badInput('bits', problem('rsaBits', { value: String(bits) }), { key: 'rsa2048Usual', params: {} });
  return size as RsaKeySize;
}

function rsaKeyPair(bits: number): Promise<forge.pki.rsa.KeyPair> {
  assertNativeRsaPath();
  return new Promise((resolve, reject) => {
    // e = 65537 and no prng option keep forge on its native branch; the callback form uses
    // the asynchronous crypto.generateKeyPair, so the main process stays responsive.
    forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 }, (error, keypair) => (error ? reject(error) : resolve(keypair)));
  });
}

const generateKeyPairAsync = promisify(crypto.generateKeyPair);

/**
 * A new DKIM key for `selector` at `domain`: RSA (2048 bits unless told) through
 * node-forge's native path, or Ed25519 (Node's crypto). Input is validated first and the
 * failure names its field.
 */
export async function generateDkimKey(options: GenerateDkimKeyOptions): Promise<DkimKey> {
  const domain = orThrow('domain', normalizeDomain(options.domain));
  const selector = orThrow('selector', normalizeSelector(options.selector));
  const type = options.type ?? 'rsa';
  if (type !== 'rsa' && type !== 'ed25519') throw badInput('type', problem('keyType', { value: String(type) }));
  const bits = checkBits(type, options.bits);
  options.signal?.throwIfAborted();

  if (type === 'ed25519') {
    const { publicKey, privateKey } = await generateKeyPairAsync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    options.signal?.throwIfAborted();
    // The SPKI of an Ed25519 key is a fixed 12-byte header and the raw 32-byte key (RFC 8410).
    return { domain, selector, type, privateKeyPem: privateKey, publicKeyBase64: publicKey.subarray(-32).toString('base64') };
  }

  const keypair = await rsaKeyPair(bits as number);
  options.signal?.throwIfAborted();
  const spki = forge.asn1.toDer(forge.pki.publicKeyToAsn1(keypair.publicKey)).getBytes();
  return {
    domain,
    selector,
    type,
    bits: keypair.publicKey.n.bitLength(),
    privateKeyPem: forge.pki.privateKeyToPem(keypair.privateKey).replace(/\r\n/g, '\n'),
    publicKeyBase64: forge.util.encode64(spki),
  };
}
