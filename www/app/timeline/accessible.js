// accessible.js: what the timeline says to assistive technology: a label on the canvas (range
// and count) and, beside it, a list of buttons for what is drawn (each record to edit, each
// period block to zoom into), rebuilt only when the view rests and its text changed.

import { formatClock, blockLabel } from './format.js';
import { formatDuration, rangeLabel } from '../common/format.js';

/** The accessible side of view `v` (see index.js); returns { update(settings) }. */
export function createAccessible(v) {
  const { o, canvas } = v;
  const box = document.createElement('div');
  box.className = 'tl-sr';
  const title = document.createElement('h2');
  title.className = 'tl-sr-title';
  const list = document.createElement('ul');
  box.append(title, list);
  v.root.append(box);
  let signature = '';
  let ariaLabel = '';

  function update(st) {
    const { hits } = v;
    const f = v.fdow();
    const [ra, rb] = v.currentTarget();
    const desc = rangeLabel(ra, rb, f, st.time_repr || 'auto');
    // Only what lies in the range counts: the margins above and below are context.
    const inRange = (it) => it.t2 > ra && it.t1 < rb;
    const n = hits.items.filter(inRange).length;
    const what = hits.mode === 'records' ? `${n} record${n === 1 ? '' : 's'}` : `${n} ${hits.unit || 'period'}s`;
    const label = `Timeline: ${desc}, ${what}`;
    if (label !== ariaLabel) {
      ariaLabel = label;
      canvas.setAttribute('aria-label', label);
    }
    if (v.gesture || v.target) return; // rebuild the list when things rest
    const repr = st.duration_repr || 'hms';
    const trepr = st.time_repr || 'auto';
    const rows = [];
    if (hits.mode === 'records') {
      for (const b of hits.bars.filter(inRange).sort((x, y) => x.t1 - y.t1)) {
        const ds = b.rec.ds || '';
        const times = b.running
          ? `${formatClock(b.t1, trepr)} – running`
          : `${formatClock(b.t1, trepr)} – ${formatClock(b.t2, trepr)}, ${formatDuration(b.t2 - b.t1, repr)}`;
        rows.push({ key: 'r:' + b.key, text: `Edit ${times}: ${ds || '(no description)'}`, act: () => o.onEditRecord(b.key) });
      }
    } else {
      for (const bl of hits.blocks.filter(inRange)) {
        const name = blockLabel(bl.t1, bl.unit, f);
        const tot = bl.total ? formatDuration(bl.total, repr) : 'nothing';
        rows.push({ key: 'p:' + bl.t1, text: `${name}: ${tot} tracked. Zoom in`, act: () => v.animateTo(bl.t1, bl.t2) });
      }
    }
    const sig = desc + '|' + rows.map((r) => r.text).join('|');
    if (sig === signature) return;
    signature = sig;
    title.textContent = `${desc}: ${rows.length ? '' : 'nothing to show'}`.replace(/: $/, '');
    const hadFocus = list.contains(document.activeElement) ? document.activeElement.dataset.k : null;
    list.replaceChildren(...rows.map((r) => {
      const li = document.createElement('li');
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.textContent = r.text;
      btn.dataset.k = r.key;
      btn.addEventListener('click', r.act);
      li.appendChild(btn);
      return li;
    }));
    if (hadFocus) {
      const again = list.querySelector(`button[data-k="${CSS.escape(hadFocus)}"]`);
      if (again) again.focus();
    }
  }

  return { update };
}
