// device.js: this device's look (the per-device settings in localStorage): dark mode (auto,
// light, dark, following the system live) and the width on wide screens.

import { LOCAL_SETTINGS_KEY } from '../data/store.js';

export const darkQuery = matchMedia('(prefers-color-scheme: dark)');

function localSettings() {
  try { return JSON.parse(localStorage.getItem(LOCAL_SETTINGS_KEY) || '{}') || {}; } catch { return {}; }
}

/** Apply the device's dark mode and width to the page. */
export function applyDeviceSettings() {
  const ls = localSettings();
  const dm = ls.darkmode ?? 0;
  const root = document.documentElement;
  if (dm === 1) root.dataset.theme = 'light';
  else if (dm === 2) root.dataset.theme = 'dark';
  else delete root.dataset.theme;
  const width = ls.width_mode || 'auto';
  document.body.classList.remove('width-auto', 'width-1000', 'width-1500', 'width-full');
  document.body.classList.add('width-' + width);
}

/** Is the page dark now? */
export function isDark() {
  const dm = localSettings().darkmode ?? 0;
  return dm === 2 || (dm === 0 && darkQuery.matches);
}
