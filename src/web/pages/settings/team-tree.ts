import type { Team, TeamKind } from '../../api/types';

export interface TeamNode {
  team: Team;
  children: TeamNode[];
}

const KIND_ORDER: Record<TeamKind, number> = { company: 0, region: 1, team: 2 };

/** Nests teams under their parents; a team whose parent is missing becomes a root. */
export function buildTeamTree(teams: readonly Team[]): TeamNode[] {
  const ids = new Set(teams.map((team) => team.id));
  const byParent = new Map<string | null, Team[]>();
  for (const team of teams) {
    const parent = team.parentId !== null && ids.has(team.parentId) ? team.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), team]);
  }
  const sort = (list: Team[]) =>
    [...list].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name));
  const visit = (parent: string | null, seen: Set<string>): TeamNode[] =>
    sort(byParent.get(parent) ?? [])
      .filter((team) => !seen.has(team.id))
      .map((team) => ({ team, children: visit(team.id, new Set([...seen, team.id])) }));
  return visit(null, new Set());
}

/** The team's id and every id below it: candidates a team cannot be moved under. */
export function descendantIds(teams: readonly Team[], id: string): Set<string> {
  const result = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const team of teams) {
      if (team.parentId !== null && result.has(team.parentId) && !result.has(team.id)) {
        result.add(team.id);
        grew = true;
      }
    }
  }
  return result;
}

export function childKind(kind: TeamKind): TeamKind {
  return kind === 'company' ? 'region' : 'team';
}
