// theme.js: applies this device's dark-mode choice on the plain pages (landing, login,
// account, logout), which share the app's stylesheet.
try {
  const dm = (JSON.parse(localStorage.getItem('timetagger_local_settings') || '{}') || {}).darkmode;
  if (dm === 1) document.documentElement.dataset.theme = 'light';
  if (dm === 2) document.documentElement.dataset.theme = 'dark';
} catch { /* defaults */ }
