import { Empty } from './Panel.jsx';
import { formatInt, formatRate } from './format.js';

const LABELS = {
  page_view: 'Viewed a page',
  product_view: 'Viewed a product',
  add_to_cart: 'Added to cart',
  checkout_start: 'Started checkout',
  purchase: 'Purchased',
};

export function Funnel({ steps }) {
  if (!steps?.length || steps.every((s) => s.sessions === 0)) return <Empty />;
  const top = Math.max(...steps.map((s) => s.sessions), 1);
  return (
    <ol className="funnel" data-testid="funnel">
      {steps.map((s) => (
        <li key={s.step} data-step={s.step}>
          <div className="funnel-label">
            <span>{LABELS[s.step] ?? s.step}</span>
            <span className="funnel-rate" data-testid={`funnel-rate-${s.step}`}>
              {s.conversion_from_previous == null ? '' : `${formatRate(s.conversion_from_previous)} of previous`}
            </span>
          </div>
          <div className="funnel-bar-track">
            <div className="funnel-bar" style={{ width: `${(100 * s.sessions) / top}%` }} />
            <span className="funnel-value" data-testid={`funnel-${s.step}`} data-value={s.sessions}>{formatInt(s.sessions)}</span>
          </div>
        </li>
      ))}
      {steps.length > 1 && steps[0].sessions > 0 && (
        <li className="funnel-overall" data-testid="funnel-overall">
          Overall conversion: <b>{formatRate(steps[steps.length - 1].sessions / steps[0].sessions)}</b>{' '}
          ({(LABELS[steps[0].step] ?? steps[0].step).toLowerCase()} → {(LABELS[steps[steps.length - 1].step] ?? steps[steps.length - 1].step).toLowerCase()})
        </li>
      )}
    </ol>
  );
}
