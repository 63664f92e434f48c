import { useEffect, useState } from 'react';

/**
 * A tiny history router: the console has a handful of paths, not worth a routing library.
 * Every path lives under /console/ (the Vite base), which the API answers with index.html.
 */
export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const [href, setHref] = useState(window.location.href);
  useEffect(() => {
    const onPop = () => setHref(window.location.href);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const url = new URL(href);
  return { path: url.pathname.replace(/\/+$/, ''), query: url.searchParams };
}

/** A link that routes in-app on a plain click and behaves like a normal link otherwise (new tab…). */
export function onLinkClick(to: string) {
  return (e: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; button: number }) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
}
