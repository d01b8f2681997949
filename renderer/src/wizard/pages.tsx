import { createContext, useContext } from 'react';

/** Pages the frame opens beside the steps, at any time: the changes made, DMARC reports, the header explainer, the watch status, the way out, the sender requirements, the key rotation, relaying through a smarthost. */
export type PageId = 'changes' | 'reports' | 'headers' | 'status' | 'outbound' | 'requirements' | 'rotation' | 'relay';

export const pageIds: readonly PageId[] = ['changes', 'reports', 'headers', 'status', 'outbound', 'requirements', 'rotation', 'relay'];

export interface Pages {
  open: (page: PageId) => void;
  /** Whether the wizard has a step or page with this id (features link to each other by id, e.g. `relay`). */
  has: (id: string) => boolean;
  /** Opens the page, or goes to the step, with this id. */
  go: (id: string) => void;
}

export const PagesContext = createContext<Pages>({ open: () => undefined, has: () => false, go: () => undefined });

/** Lets a step link to a page (the Done step to "Changes made", the inbound step after applying). */
export function usePages(): Pages {
  return useContext(PagesContext);
}
