import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Empty } from './Panel.jsx';
import { formatInt, formatTime } from './format.js';

const axis = { stroke: 'var(--muted)', fontSize: 13 };

// Round the axis top up to a round multiple of a power of ten, so the gridlines fall on round numbers.
function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= max);
  return step * power;
}

export function EventsPerMinuteChart({ points }) {
  if (!points?.length) return <Empty />;
  const data = points.map((p) => ({ t: p.minute, events: p.events }));
  return (
    <div className="chart" data-testid="events-per-minute" data-points={points.length} role="img"
      aria-label={`Events per minute, ${points.length} minutes`}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="t" tickFormatter={formatTime} minTickGap={48} tick={axis} stroke="var(--grid)" />
          <YAxis tickFormatter={formatInt} tick={axis} stroke="var(--grid)" width={64} allowDecimals={false}
            domain={[0, niceMax]} tickCount={5} />
          <Tooltip labelFormatter={formatTime} formatter={(v) => [formatInt(v), 'events']}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)' }} />
          <Line type="monotone" dataKey="events" stroke="var(--accent)" strokeWidth={2.5} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function PageViewsChart({ rows }) {
  if (!rows?.length) return <Empty />;
  return (
    <div className="chart" data-testid="page-views" role="img"
      aria-label={`Page views by category: ${rows.map((r) => `${r.category} ${formatInt(r.views)}`).join(', ')}`}>
      <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 34)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 56, bottom: 0, left: 8 }}>
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="category" width={120} tick={{ ...axis, fill: 'var(--text)' }} stroke="none" />
          <Tooltip formatter={(v) => [formatInt(v), 'views']} cursor={{ fill: 'var(--grid)' }}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)' }} />
          <Bar dataKey="views" fill="var(--accent)" radius={[0, 4, 4, 0]} isAnimationActive={false}
            label={{ position: 'right', formatter: formatInt, fill: 'var(--text)', fontSize: 13 }} />
        </BarChart>
      </ResponsiveContainer>
      <table className="sr-only" data-testid="page-views-table">
        <tbody>
          {rows.map((r) => (
            <tr key={r.category}><th>{r.category}</th><td data-value={r.views}>{formatInt(r.views)}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
