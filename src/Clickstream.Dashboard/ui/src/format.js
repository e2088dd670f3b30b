// Number and time formatting shared by every panel. Fixed to en-US so the page reads the same everywhere and the
// browser tests can compare it with the API's numbers.
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export const formatInt = (n) => (n == null ? '—' : integer.format(n));

export const formatRate = (r) => (r == null ? '—' : `${oneDecimal.format(r * 100)}%`);

export const formatPerSecond = (n) => (n == null ? '—' : `${oneDecimal.format(n)}/s`);

export function formatDuration(seconds) {
  if (seconds == null) return '—';
  const s = Math.round(Math.max(0, seconds));
  const part = (n, unit) => (n ? ` ${n} ${unit}` : '');
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${part(s % 60, 's')}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${part(Math.floor((s % 3600) / 60), 'min')}`;
  return `${Math.floor(s / 86400)} d${part(Math.floor((s % 86400) / 3600), 'h')}`;
}

export function formatTime(iso) {
  if (!iso) return '—';
  return new Date(iso).toISOString().slice(11, 16) + ' UTC';
}

export function formatDateTime(iso) {
  if (!iso) return '—';
  return new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
