import path from 'node:path';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { remoteSessionFor } from '../ssh/sessionStore.js';
import { historyMirror } from './mirror.js';
import { continueRotation, previewRotation, readRotationStatus, startRotation, undoRotation, type RotationContext } from './rotation.js';

type RotationCall = 'rotationStatus' | 'startRotation' | 'previewRotation' | 'continueRotation' | 'undoRotation';

export function createRotationHandlers(deps: ServiceDeps): HandlerGroup<RotationCall> {
  const mirror = historyMirror(deps.historyFile ?? path.join(deps.dataDir, 'history.sqlite'));
  const context = (signal: AbortSignal, extra: Partial<RotationContext> = {}): RotationContext => ({ now: deps.now, signal, mirror, ...extra });
  return {
    rotationStatus: async (input, { signal }) => readRotationStatus(remoteSessionFor(input.sessionId), input.domain, context(signal)),
    startRotation: async (input, { signal, progress }) =>
      startRotation(
        remoteSessionFor(input.sessionId),
        { domain: input.domain, emergency: input.emergency, ...(input.selector === undefined ? {} : { selector: input.selector }), ...(input.overlapDays === undefined ? {} : { overlapDays: input.overlapDays }) },
        context(signal, { progress }),
      ),
    previewRotation: async (input, { signal }) => previewRotation(remoteSessionFor(input.sessionId), input.domain, context(signal)),
    continueRotation: async (input, { signal, progress }) =>
      continueRotation(remoteSessionFor(input.sessionId), { domain: input.domain, ...(input.step === undefined ? {} : { step: input.step }) }, context(signal, { progress, dns: { resolvers: input.resolvers } })),
    undoRotation: async (input, { signal, progress }) => undoRotation(remoteSessionFor(input.sessionId), { domain: input.domain }, context(signal, { progress })),
  };
}
