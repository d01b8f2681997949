/**
 * DKIM keys in the main process: generation (node-forge on Node's native crypto for RSA,
 * Node's crypto for Ed25519), loading key files (`--dkim S:FILE`), the in-memory key store
 * the wizard and plan/apply share, and keygen's files.
 */
export { DEFAULT_RSA_BITS, publicInfo, publicKeyFingerprint, rsaKeySizes, type DkimKey, type RsaKeySize } from './dkimKey.js';
export { assertNativeRsaPath, generateDkimKey, type GenerateDkimKeyOptions } from './generate.js';
export { loadDkimKeyFile, parseDkimPrivateKeyPem, parseDkimSpec, type DkimKeySpec } from './loadKeyFile.js';
export { KeyStore, keyStore } from './keyStore.js';
export { writeDkimKeyFiles, type WrittenKeyFiles } from './writeKeyFiles.js';
export { createKeysHandlers } from './handlers.js';
