// chart.js: the report's bar chart as inline SVG (hours per day, week or month, stacked and
// coloured by top-level tag), drawn from chart-data.js. SVG so it prints sharply and needs
// no canvas; each bar has a <title> for a tooltip and the chart an aria-label summary.

const NS = 'http://www.w3.org/2000/svg';
const el = (tag, attrs = {}) => {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/** Build the chart. data: chartData(); colorOf(seriesKey) -> css colour. Returns a <figure>. */
export function barChart(data, colorOf, { width = 720, height = 200 } = {}) {
  const fig = document.createElement('figure');
  fig.className = 'iv-chart';
  const n = data.buckets.length;
  const hours = data.maxSeconds / 3600;
  const step = hours <= 4 ? 1 : hours <= 10 ? 2 : hours <= 25 ? 5 : hours <= 60 ? 10 : hours <= 250 ? 50 : 100;
  const top = Math.max(step, Math.ceil(hours / step) * step);
  const padL = 34, padB = 22, padT = 8;
  const plotW = width - padL - 4, plotH = height - padB - padT;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', width: '100%', preserveAspectRatio: 'xMidYMid meet' });
  const total = data.buckets.reduce((s, b) => s + b.seconds, 0) / 3600;
  svg.setAttribute('aria-label', `Hours per ${data.bucket}: ${total.toFixed(1)} hours in ${n} ${data.bucket}s`);
  for (let v = 0; v <= top; v += step) {
    const y = padT + plotH - (v / top) * plotH;
    svg.append(el('line', { x1: padL, x2: width - 4, y1: y, y2: y, class: 'iv-grid' }));
    const t = el('text', { x: padL - 4, y: y + 4, 'text-anchor': 'end', class: 'iv-axis' });
    t.textContent = v + 'h';
    svg.append(t);
  }
  const slot = plotW / Math.max(1, n);
  const barW = Math.max(1, Math.min(40, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(n / Math.floor(plotW / 44)));
  const order = data.series.map((s) => s.key);
  data.buckets.forEach((b, i) => {
    const x = padL + i * slot + (slot - barW) / 2;
    let y = padT + plotH;
    const g = el('g', { class: 'iv-barg' });
    const title = el('title');
    title.textContent = `${b.label}: ${(b.seconds / 3600).toFixed(2)} h` +
      order.filter((k) => b.parts[k]).map((k) => `\n${k}: ${(b.parts[k] / 3600).toFixed(2)} h`).join('');
    g.append(title);
    for (const k of order) {
      const s = b.parts[k];
      if (!s) continue;
      const hgt = (s / 3600 / top) * plotH;
      y -= hgt;
      g.append(el('rect', { x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1), height: Math.max(0.5, hgt).toFixed(1), fill: colorOf(k) }));
    }
    svg.append(g);
    if (i % labelEvery === 0) {
      const t = el('text', { x: (x + barW / 2).toFixed(1), y: height - 6, 'text-anchor': 'middle', class: 'iv-axis' });
      t.textContent = b.label;
      svg.append(t);
    }
  });
  fig.append(svg);
  const legend = document.createElement('figcaption');
  legend.className = 'iv-legend';
  for (const s of data.series.slice(0, 12)) {
    const item = document.createElement('span');
    const sw = document.createElement('span');
    sw.className = 'iv-swatch';
    sw.style.background = colorOf(s.key);
    item.append(sw, ` ${s.key} ${(s.seconds / 3600).toFixed(1)} h`);
    legend.append(item);
  }
  if (data.series.length > 12) legend.append(` and ${data.series.length - 12} more`);
  fig.append(legend);
  return fig;
}
