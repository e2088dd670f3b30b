import { useEffect, useState } from 'react';
import { useDashboard } from './useDashboard.js';
import { formatDateTime, formatInt, formatTime } from './format.js';
import { Panel, BigNumber } from './Panel.jsx';
import { PageViewsChart, EventsPerMinuteChart } from './Charts.jsx';
import { Funnel } from './Funnel.jsx';
import { TopProducts } from './TopProducts.jsx';
import { Health } from './Health.jsx';

const RANGES = [
  { id: '15m', label: '15 min' },
  { id: '1h', label: '1 h' },
  { id: '6h', label: '6 h' },
  { id: '24h', label: '24 h' },
];

const LIVE_TEXT = { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…' };

export default function App() {
  const [range, setRange] = useState(() => new URLSearchParams(window.location.search).get('range') ?? '1h');
  const { data, error, loading, live, loadedAt } = useDashboard(range);

  const choose = (id) => {
    setRange(id);
    const url = new URL(window.location.href);
    url.searchParams.set('range', id);
    window.history.replaceState(null, '', url);
  };

  const m = data?.metrics;
  const h = data?.health;

  // The tab title carries the big number, for a wall screen with several tabs.
  useEffect(() => {
    document.title = m?.has_data ? `${formatInt(m.active_users_last5_minutes)} active · Clickstream` : 'Clickstream dashboard';
  }, [m]);
  return (
    <div className="app">
      <header className="top">
        <div className="brand">
          <h1>Clickstream</h1>
          <span className="subtitle">
            {m?.has_data ? (
              <>
                <span data-testid="range-from">{formatDateTime(m.from)}</span> → <span data-testid="range-to">{formatTime(m.to)}</span>
              </>
            ) : (
              'live shop analytics'
            )}
          </span>
        </div>
        <div className="controls">
          <div className="ranges" role="radiogroup" aria-label="Time range">
            {RANGES.map((r) => (
              <button
                key={r.id}
                type="button"
                role="radio"
                aria-checked={range === r.id}
                data-range={r.id}
                className={range === r.id ? 'range active' : 'range'}
                onClick={() => choose(r.id)}
              >
                {r.label}
              </button>
            ))}
          </div>
          <div className={`live ${live}`} role="status" aria-live="polite" data-testid="live-status">
            <span className="dot" aria-hidden="true" />
            {LIVE_TEXT[live]}
            {loadedAt && <span className="updated">updated {loadedAt.toLocaleTimeString('en-GB')}</span>}
          </div>
        </div>
      </header>

      {error && (
        <div className="banner error" role="alert" data-testid="error">
          <strong>The figures cannot be loaded.</strong> {error}
        </div>
      )}
      {!error && data && !m.has_data && (
        <div className="banner empty" role="status" data-testid="empty">
          <strong>No data yet.</strong> The store has no committed window; start <code>clickstream stream</code> and
          the page fills in by itself.
        </div>
      )}
      {loading && !data && !error && <div className="banner">Loading…</div>}

      {data && (
        <main className="grid" data-testid="dashboard" data-batch-id={data.version?.batch_id ?? ''} data-range={data.range}>
          <Panel title="Active users" note="distinct users, last 5 minutes" className="hero">
            <BigNumber testId="active-users" value={m.active_users_last5_minutes} />
            <div className="hero-sub">
              <span>
                <b data-testid="active-users-range" data-value={m.active_users}>{formatInt(m.active_users)}</b> in the range
              </span>
              <span>
                <b data-testid="events-total" data-value={m.events}>{formatInt(m.events)}</b> events
              </span>
            </div>
          </Panel>
          <Panel title="Pipeline health" className="health">
            <Health health={h} />
          </Panel>
          <Panel title="Events per minute" className="wide">
            <EventsPerMinuteChart points={m.events_per_minute} />
          </Panel>
          <Panel title="Page views by category">
            <PageViewsChart rows={m.page_views_by_category} />
          </Panel>
          <Panel title="Conversion funnel" note="sessions reaching each step">
            <Funnel steps={m.funnel} />
          </Panel>
          <Panel title="Top 10 products" note="by views">
            <TopProducts rows={m.top_products} />
          </Panel>
        </main>
      )}
    </div>
  );
}
