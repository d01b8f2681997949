/**
 * The contract: every call between the wizard and the back end, declared once. Each area
 * keeps its calls in its own module; this file only joins them. Adding a call here without
 * a handler, or a preload without it, is a type error (see test/unit/contract.test-d.ts).
 */
import { appCalls } from './app.js';
import { backupsCalls } from './backups.js';
import { changeCalls } from './change.js';
import { recordsCalls } from './records.js';
import { reportsCalls } from './reports.js';
import { inboundCalls } from './inbound.js';
import { rotationCalls } from './rotation.js';
import { relayCalls } from './relay.js';
import { tlsCalls } from './tls.js';
import { outboundCalls } from './outbound.js';
import { sessionCalls } from './session.js';
import { verifyCalls } from './verify.js';
import { watchCalls } from './watch.js';
import type { SpecInput, SpecParsedInput, SpecProgress, SpecResult } from './define.js';
import type { SerializedError } from '../errors.js';

export const contract = {
  ...appCalls,
  ...changeCalls,
  ...sessionCalls,
  ...recordsCalls,
  ...reportsCalls,
  ...inboundCalls,
  ...relayCalls,
  ...tlsCalls,
  ...outboundCalls,
  ...backupsCalls,
  ...verifyCalls,
  ...watchCalls,
  ...rotationCalls,
};

export type Contract = typeof contract;
export type CallName = keyof Contract;

/** What a caller sends (before defaults are applied). */
export type InputOf<K extends CallName> = SpecInput<Contract[K]>;
/** What a handler receives (after the schema has checked and filled defaults). */
export type ParsedInputOf<K extends CallName> = SpecParsedInput<Contract[K]>;
export type ResultOf<K extends CallName> = SpecResult<Contract[K]>;
export type ProgressOf<K extends CallName> = SpecProgress<Contract[K]>;

export type CallOutcome<R> = { ok: true; result: R } | { ok: false; error: SerializedError };

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/** Per-call hooks that cross the preload bridge: progress events and a way to cancel. */
export interface CallHooks<P> {
  onProgress?: (event: P) => void;
  /** Receives a function that cancels the call; called once, as the call starts. */
  onCancelable?: (cancel: () => void) => void;
}

/** The typed surface the renderer sees, whichever door it came through. */
export type HomemailBridge = {
  [K in CallName]: (input: InputOf<K>, hooks?: CallHooks<ProgressOf<K>>) => Promise<CallOutcome<ResultOf<K>>>;
};
