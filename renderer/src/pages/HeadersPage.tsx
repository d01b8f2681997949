import { HeaderExplainer } from '../steps/HeaderExplainer.js';

/** The header explainer as its own page, reachable from the frame at any time. */
export function HeadersPage() {
  return <HeaderExplainer asPage />;
}
