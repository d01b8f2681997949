import { createContext, useContext } from 'react';

/** Pages the frame opens beside the steps, at any time: the changes made, DMARC reports, the header explainer, the watch status. */
export type PageId = 'changes' | 'reports' | 'headers' | 'status';

export const pageIds: readonly PageId[] = ['changes', 'reports', 'headers', 'status'];

export interface Pages {
  open: (page: PageId) => void;
}

export const PagesContext = createContext<Pages>({ open: () => undefined });

/** Lets a step link to a page (the Done step to "Changes made", the inbound step after applying). */
export function usePages(): Pages {
  return useContext(PagesContext);
}
