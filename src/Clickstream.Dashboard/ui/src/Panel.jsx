import { formatInt } from './format.js';

export function Panel({ title, note, className = '', children }) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={`panel ${className}`} aria-labelledby={id}>
      <header className="panel-head">
        <h2 id={id}>{title}</h2>
        {note && <span className="note">{note}</span>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function BigNumber({ value, testId }) {
  return (
    <div className="big-number" data-testid={testId} data-value={value}>
      {formatInt(value)}
    </div>
  );
}

export function Empty({ children = 'No data in this range' }) {
  return <div className="empty-panel">{children}</div>;
}
