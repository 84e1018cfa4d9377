// Bar charts drawn as inline SVG, no library: one bar per point, labels under every few bars, the value on hover.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    e.setAttribute(name, value);
  }
  for (const child of children) {
    e.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return e;
}

/**
 * @param points [{label, value}]
 * @param options {title, max (default: the largest value), format(value) → text, labelEvery}
 */
export function barChart(points, options) {
  const width = 720;
  const height = 240;
  const left = 64;
  const bottom = 40;
  const top = 16;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const format = options.format || String;
  const max = options.max || Math.max(1, ...points.map(p => p.value));
  const every = options.labelEvery || Math.max(1, Math.ceil(points.length / 12));
  const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': options.title,
    class: 'chart'});
  chart.appendChild(svg('title', null, options.title));
  for (const tick of [0, 0.5, 1]) {
    const y = top + plotH - tick * plotH;
    chart.appendChild(svg('line', {x1: left, x2: width - 8, y1: y, y2: y, class: 'grid'}));
    chart.appendChild(svg('text', {x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis'},
        format(Math.round(tick * max * 100) / 100)));
  }
  const slot = points.length === 0 ? plotW : plotW / points.length;
  points.forEach((p, i) => {
    const h = max === 0 ? 0 : (p.value / max) * plotH;
    const x = left + i * slot + slot * 0.1;
    const bar = svg('rect', {x, y: top + plotH - h, width: Math.max(1, slot * 0.8), height: h, class: 'bar',
      'data-label': p.label, 'data-value': p.value});
    bar.appendChild(svg('title', null, `${p.label}: ${format(p.value)}`));
    chart.appendChild(bar);
    if (i % every === 0) {
      chart.appendChild(svg('text', {x: x + slot * 0.4, y: height - bottom + 16, 'text-anchor': 'middle',
        class: 'axis'}, p.label));
    }
  });
  return chart;
}
