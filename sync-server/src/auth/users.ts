// Users and teams in the raw SQL tables: create (hashing the password), look up by name or id.
import { ROLES, type Role } from '@aw/domain';
import type { SqlDb } from '../context.ts';
import { hashPassword } from './passwords.ts';

export interface UserRow {
  id: string;
  username: string;
  team_id: string;
  role: Role;
  password_hash: string;
  created_at: number;
}

/** Bad input for a new user (name taken, unknown role, weak password). */
export class UserInputError extends Error {
  constructor(
    readonly code: 'username_taken' | 'invalid_user',
    message: string,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

export interface NewUser {
  username: string;
  password: string;
  teamId: string;
  role: Role;
  /** Defaults to `u-<username>`. */
  userId?: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export async function ensureTeam(sql: SqlDb, teamId: string, name = teamId, now = Date.now()): Promise<void> {
  await sql.run('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING', [teamId, name || '(none)', now]);
}

export async function createUser(sql: SqlDb, u: NewUser, now = Date.now()): Promise<UserRow> {
  if (!USERNAME.test(u.username)) throw new UserInputError('invalid_user', `username "${u.username}" must be 1-64 lowercase letters, digits, '.', '_' or '-'`);
  if (!ROLES.includes(u.role)) throw new UserInputError('invalid_user', `role "${u.role}" is not one of ${ROLES.join(', ')}`);
  if (u.password.length < 4) throw new UserInputError('invalid_user', 'password must have at least 4 characters');
  if (u.role !== 'provider' && u.role !== 'admin' && !u.teamId) throw new UserInputError('invalid_user', `role ${u.role} needs a team`);
  const row: UserRow = {
    id: u.userId ?? `u-${u.username}`,
    username: u.username,
    team_id: u.teamId,
    role: u.role,
    password_hash: await hashPassword(u.password),
    created_at: now,
  };
  try {
    await sql.transaction(async (tx) => {
      await ensureTeam(tx, u.teamId, u.teamId, now);
      await tx.run('INSERT INTO users (id, username, team_id, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        row.id, row.username, row.team_id, row.role, row.password_hash, row.created_at,
      ]);
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT') throw new UserInputError('username_taken', `user "${u.username}" already exists`);
    throw err;
  }
  return row;
}

export const findUserByName = (sql: SqlDb, username: string): Promise<UserRow | undefined> =>
  sql.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);

export const countUsers = async (sql: SqlDb): Promise<number> => (await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0;
