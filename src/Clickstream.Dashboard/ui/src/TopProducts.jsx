import { Empty } from './Panel.jsx';
import { formatInt } from './format.js';

export function TopProducts({ rows }) {
  if (!rows?.length) return <Empty />;
  const top = Math.max(...rows.map((r) => r.views), 1);
  return (
    <table className="products" data-testid="top-products">
      <thead>
        <tr><th scope="col">#</th><th scope="col">Product</th><th scope="col" className="num">Views</th></tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.product_id}>
            <td className="rank">{i + 1}</td>
            <td>
              <span className="product-id">{r.product_id}</span>
              <span className="product-bar" style={{ width: `${(100 * r.views) / top}%` }} aria-hidden="true" />
            </td>
            <td className="num" data-value={r.views}>{formatInt(r.views)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
