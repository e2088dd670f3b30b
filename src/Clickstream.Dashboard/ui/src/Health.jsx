import { formatDateTime, formatDuration, formatInt, formatPerSecond, formatRate } from './format.js';

// Freshness above a minute (or a bad-input rate above 5%) turns its tile amber, above 5 minutes (20%) red.
const level = (value, warn, bad) => (value == null ? 'unknown' : value >= bad ? 'bad' : value >= warn ? 'warn' : 'ok');

function Tile({ label, value, testId, state = 'neutral', title, raw }) {
  return (
    <div className={`tile ${state}`} title={title}>
      <div className="tile-label">{label}</div>
      <div className="tile-value" data-testid={testId} data-value={raw ?? ''}>{value}</div>
    </div>
  );
}

export function Health({ health: h }) {
  if (!h) return null;
  return (
    <div className="tiles">
      <Tile label="Freshness" testId="freshness" raw={h.freshness_seconds} value={formatDuration(h.freshness_seconds)}
        state={level(h.freshness_seconds, 60, 300)}
        title={`newest batch ${h.batch_id ?? '—'} committed ${formatDateTime(h.committed_at)}`} />
      <Tile label="Watermark lag" testId="watermark-lag" raw={h.watermark_lag_seconds}
        value={h.watermark_lag_seconds == null ? 'n/a' : formatDuration(h.watermark_lag_seconds)}
        title={h.watermark ? `watermark ${formatDateTime(h.watermark)}` : 'start the dashboard with --checkpoint to see the watermark'} />
      <Tile label="Events / s" testId="events-per-second" raw={h.events_per_second} value={formatPerSecond(h.events_per_second)}
        title="valid events per second of event time, last 5 minutes of data" />
      <Tile label="Newest batch" testId="batch-id" raw={h.batch_id} value={formatInt(h.batch_id)}
        title={`committed ${formatDateTime(h.committed_at)}`} />
      <Tile label="Invalid" testId="invalid-rate" raw={h.invalid_rate} value={formatRate(h.invalid_rate)} state={level(h.invalid_rate, 0.05, 0.2)} />
      <Tile label="Duplicates" testId="duplicate-rate" raw={h.duplicate_rate} value={formatRate(h.duplicate_rate)} state={level(h.duplicate_rate, 0.05, 0.2)} />
      <Tile label="Late" testId="late-rate" raw={h.late_rate} value={formatRate(h.late_rate)} state={level(h.late_rate, 0.05, 0.2)} />
    </div>
  );
}
