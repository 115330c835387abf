// conflicts.js: the notice that a change made on this device (offline, or before it synced)
// was replaced by a newer change from another device, with the lost version one click away:
// "Use mine" puts it back, "Keep theirs" lets it go; several at once are reviewed in a
// dialog. The losses wait in a per-user log (../data/conflicts.js) until the user chooses,
// across reloads and in every open tab; app.js keeps the log as the store reports them and
// loads this module when the log has any.

import { h, describe, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { isHidden, unhideDescription } from '../common/tags.js';
import { formatTime, dateLong } from '../common/format.js';
import { readLog, removeFromLog, useMine } from '../data/conflicts.js';

const nowSec = () => Math.floor(Date.now() / 1000);

/** Show the log of lost changes of `app` (shell/app.js); render() again when it changed. */
export function showConflicts(app) {
  const { store } = app;
  const host = h('div', { id: 'conflicts', class: 'conflicts', role: 'status', 'aria-live': 'polite', hidden: true });
  document.getElementById('banner').after(host);
  let dialog = null;

  const log = () => readLog(localStorage, store.username, nowSec());

  /** One version as a person reads it: the description (or "deleted") and when. */
  function version(kind, it) {
    if (kind === 'settings') {
      const v = JSON.stringify(it.value);
      return h('span', { class: 'version' }, v.length > 80 ? v.slice(0, 77) + '…' : v);
    }
    const s = app.settings();
    const when = it.t1 === it.t2 ? `${dateLong(it.t1)}, from ${formatTime(it.t1, s.time_repr)} (running)`
      : `${dateLong(it.t1)}, ${formatTime(it.t1, s.time_repr)} – ${formatTime(it.t2, s.time_repr)}`;
    const ds = unhideDescription(it.ds || '');
    return h('span', { class: 'version' }, isHidden(it.ds) ? h('em', {}, 'deleted: ') : null, describe(ds, app.colorOf), h('span', { class: 'hint' }, ` · ${when}`));
  }

  function what(e) {
    if (e.kind === 'records') return 'a record';
    return e.key.startsWith('taginfo ') ? `the settings of ${e.key.slice(8)}` : `the setting “${e.key}”`;
  }

  async function choose(e, mine) {
    removeFromLog(localStorage, store.username, e.kind, e.key, nowSec());
    if (mine) {
      await useMine(store, e);
      toast('Your version is back; it is sent to your other devices.');
    }
    render();
  }

  function entryView(e) {
    return h('div', { class: 'conflict', dataset: { key: e.key } },
      h('p', { class: 'conflict-what' }, `A newer change from another device replaced your change to ${what(e)}.`),
      h('div', { class: 'conflict-versions' },
        h('div', {}, h('strong', {}, 'Yours: '), version(e.kind, e.mine)),
        h('div', {}, h('strong', {}, 'Now: '), version(e.kind, e.theirs))),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn primary', onclick: () => choose(e, true) }, 'Use mine'),
        h('button', { type: 'button', class: 'btn', onclick: () => choose(e, false) }, 'Keep theirs')));
  }

  function review() {
    const body = h('div', { class: 'conflict-list' });
    const fill = () => { body.replaceChildren(...log().map(entryView)); if (!body.children.length) dialog.close(); };
    dialog = openDialog((close) => frame('Changes replaced by another device', close, body,
      [h('button', { type: 'button', class: 'btn', onclick: () => { for (const e of log()) removeFromLog(localStorage, store.username, e.kind, e.key, nowSec()); close(); } }, 'Keep all theirs'),
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Close')]),
    { label: 'Changes replaced by another device', onClose: () => { dialog = null; render(); } });
    dialog.fill = fill;
    fill();
  }

  function render() {
    const list = log();
    host.hidden = !list.length;
    if (list.length === 1) host.replaceChildren(entryView(list[0]));
    else if (list.length > 1) {
      host.replaceChildren(h('div', { class: 'conflict row' },
        h('p', { class: 'conflict-what' }, `Newer changes from other devices replaced ${list.length} of your changes.`),
        h('button', { type: 'button', class: 'btn primary', onclick: review }, 'Review…')));
    }
    if (dialog && dialog.fill) dialog.fill();
  }

  return { render, review };
}
