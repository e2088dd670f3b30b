import { useEffect, useRef, useState } from 'react';

// Loads /api/dashboard for the chosen range and reloads it whenever the live feed (/api/events, server-sent events)
// announces a new batch. The EventSource reconnects by itself after a network error.
export function useDashboard(range) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [live, setLive] = useState('connecting');
  const [feedVersion, setFeedVersion] = useState(null);
  const request = useRef(0);

  useEffect(() => {
    const source = new EventSource('/api/events');
    source.addEventListener('open', () => setLive('live'));
    source.addEventListener('error', () => setLive('reconnecting'));
    source.addEventListener('version', (e) => {
      setLive('live');
      setFeedVersion(e.data);
    });
    return () => source.close();
  }, []);

  useEffect(() => {
    const id = ++request.current;
    const controller = new AbortController();
    fetch(`/api/dashboard?range=${encodeURIComponent(range)}`, { signal: controller.signal, cache: 'no-store' })
      .then(async (r) => {
        const body = await r.json().catch(() => null);
        if (id !== request.current) return;
        if (!r.ok) {
          setState((s) => ({ data: s.data, error: body?.error ?? `the server answered ${r.status}`, loading: false }));
        } else {
          setState({ data: body, error: null, loading: false, loadedAt: new Date() });
        }
      })
      .catch((err) => {
        if (err.name === 'AbortError' || id !== request.current) return;
        setState((s) => ({ data: s.data, error: 'the dashboard server cannot be reached', loading: false }));
      });
    return () => controller.abort();
  }, [range, feedVersion]);

  return { ...state, live };
}
