// Password hashing: salted scrypt, verification, malformed hashes never match.
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';
import { createRateLimiter } from './rate-limit.ts';

describe('passwords', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const h1 = await hashPassword('correct horse');
    const h2 = await hashPassword('correct horse');
    expect(h1).not.toBe(h2);
    expect(h1).not.toContain('correct horse');
    expect(h1).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse', h1)).toBe(true);
    expect(await verifyPassword('correct horse', h2)).toBe(true);
    expect(await verifyPassword('correct horsE', h1)).toBe(false);
    expect(await verifyPassword('', h1)).toBe(false);
  });
  it('never matches a malformed stored hash', async () => {
    for (const bad of ['', 'plain', 'scrypt$1$2', 'bcrypt$a$b$c$d$e']) expect(await verifyPassword('x', bad)).toBe(false);
  });
});

describe('login rate limiter', () => {
  it('allows max failures per window, then asks to wait until the oldest leaves the window', () => {
    let t = 0;
    const rl = createRateLimiter(3, 1000, () => t);
    for (let i = 0; i < 3; i++) {
      expect(rl.retryAfterMs('k')).toBe(0);
      rl.recordFailure('k');
      t += 100;
    }
    expect(rl.retryAfterMs('k')).toBe(700);
    expect(rl.retryAfterMs('other')).toBe(0);
    t = 1001;
    expect(rl.retryAfterMs('k')).toBe(0);
    rl.recordFailure('k');
    rl.reset('k');
    expect(rl.retryAfterMs('k')).toBe(0);
  });
});
