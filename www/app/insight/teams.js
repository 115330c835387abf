// teams.js: which teams the signed-in user manages (GET teams, docs/webapi.md): asked at
// start to offer the team report; the report itself (team-ui.js) loads when it opens.

import { apiFetch } from '../data/api.js';
import { getAuth } from '../data/auth.js';

/** The teams the signed-in user manages (GET teams), or [] (offline, none). */
export async function managedTeams() {
  const auth = getAuth();
  if (!auth || !auth.token) return [];
  const res = await apiFetch('teams', { token: auth.token });
  return (res.teams || []).filter((t) => t.role === 'manager');
}
