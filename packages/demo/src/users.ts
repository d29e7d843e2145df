// Demo users and teams (contract section 4: team `demo` with alice, bob (advisors) and carol (reviewer); team
// `north` with dave; `feed` is the price provider). Passwords are the server's business, never here.
import type { Role, Team } from '@aw/domain';

export interface DemoUser { userId: string; username: string; teamId: string; role: Role }

export const DEMO_USERS: readonly DemoUser[] = [
  { userId: 'u-alice', username: 'alice', teamId: 'demo', role: 'advisor' },
  { userId: 'u-bob', username: 'bob', teamId: 'demo', role: 'advisor' },
  { userId: 'u-carol', username: 'carol', teamId: 'demo', role: 'reviewer' },
  { userId: 'u-dave', username: 'dave', teamId: 'north', role: 'advisor' },
  { userId: 'u-feed', username: 'feed', teamId: '', role: 'provider' },
];

/** Team of household i (0-based): every fifth household belongs to 'north'. */
export const householdTeam = (i: number): string => (i % 5 === 4 ? 'north' : 'demo');

export function demoTeams(updatedAt: number): Team[] {
  const names: Record<string, string> = { demo: 'Demo Advisors', north: 'North Team' };
  return Object.keys(names).map((id) => ({
    id, name: names[id]!, updatedAt,
    members: DEMO_USERS.filter((u) => u.teamId === id).map((u) => ({ userId: u.userId, role: u.role })),
  }));
}
