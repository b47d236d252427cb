/**
 * The alignment view: company → teams → people, each with their objectives and scores.
 */

export interface AlignmentTeam {
  id: string;
  name: string;
  kind: 'company' | 'region' | 'team';
  parentId: string | null;
  managerUserId: string | null;
}

export interface AlignmentPerson {
  userId: string;
  name: string;
  teamId: string | null;
}

export interface AlignmentObjective {
  id: string;
  owner: { kind: 'team'; id: string } | { kind: 'user'; id: string };
}

export interface AlignmentNode<O> {
  team: AlignmentTeam;
  objectives: O[];
  people: { userId: string; name: string; objectives: O[] }[];
  children: AlignmentNode<O>[];
}

/**
 * Builds the tree from the roots (teams without a parent). People appear under their team
 * (their payee's team); a person's objectives hang under them. People with objectives but
 * no team are returned apart, as are objectives whose owner is in no tree.
 * @example buildAlignmentTree({ teams, people, objectives }).roots[0].children[0].people[0].objectives
 */
export function buildAlignmentTree<O extends AlignmentObjective>(input: {
  teams: readonly AlignmentTeam[];
  people: readonly AlignmentPerson[];
  objectives: readonly O[];
}): { roots: AlignmentNode<O>[]; unassigned: { userId: string; name: string; objectives: O[] }[] } {
  const teamObjectives = new Map<string, O[]>();
  const personObjectives = new Map<string, O[]>();
  for (const objective of input.objectives) {
    const map = objective.owner.kind === 'team' ? teamObjectives : personObjectives;
    map.set(objective.owner.id, [...(map.get(objective.owner.id) ?? []), objective]);
  }
  const teamIds = new Set(input.teams.map((t) => t.id));
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  const build = (team: AlignmentTeam, seen: Set<string>): AlignmentNode<O> => {
    const nextSeen = new Set(seen).add(team.id);
    return {
      team,
      objectives: teamObjectives.get(team.id) ?? [],
      people: input.people
        .filter((p) => p.teamId === team.id)
        .map((p) => ({ userId: p.userId, name: p.name, objectives: personObjectives.get(p.userId) ?? [] }))
        .sort(byName),
      children: input.teams.filter((t) => t.parentId === team.id && !nextSeen.has(t.id)).sort(byName).map((t) => build(t, nextSeen)),
    };
  };
  const roots = input.teams.filter((t) => t.parentId === null || !teamIds.has(t.parentId)).sort(byName).map((t) => build(t, new Set()));
  const placed = new Set(input.people.filter((p) => p.teamId !== null && teamIds.has(p.teamId)).map((p) => p.userId));
  const unassigned = [...personObjectives.entries()]
    .filter(([userId]) => !placed.has(userId))
    .map(([userId, objectives]) => ({ userId, name: input.people.find((p) => p.userId === userId)?.name ?? '', objectives }));
  return { roots, unassigned };
}
