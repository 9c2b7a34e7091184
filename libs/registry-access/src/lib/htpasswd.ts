import type * as Bcrypt from 'bcryptjs';
import { readFile } from 'node:fs/promises';

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
// bcryptjs loads, and the decoy is hashed, only in a gateway that reads an htpasswd file.
const bcrypt = (): typeof Bcrypt => require('bcryptjs') as typeof Bcrypt;
// Compared against when the user is unknown, so that a missing user costs as long as a wrong password.
let decoy: string | undefined;

/**
 * Htpasswd holds the bcrypt entries of an Apache htpasswd file, as the CNCF registry's htpasswd
 * access controller reads it: `user:$2y$…` per line, blank lines and `#` comments skipped. Other
 * hash kinds (MD5, SHA1, crypt) are refused when the file is read, not silently never matched.
 */
export class Htpasswd {
  private readonly decoy: string;

  private constructor(private readonly entries: ReadonlyMap<string, string>) {
    decoy ??= bcrypt().hashSync('stevedore-decoy', 10);
    this.decoy = decoy;
  }

  /** load reads and checks the file; its errors name the line, never the hash on it. */
  static async load(path: string): Promise<Htpasswd> {
    return Htpasswd.parse(await readFile(path, 'utf8'), path);
  }

  static parse(text: string, source = 'htpasswd'): Htpasswd {
    const entries = new Map<string, string>();
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const colon = line.indexOf(':');
      const hash = line.slice(colon + 1);
      if (colon <= 0 || !BCRYPT.test(hash)) {
        throw new Error(`${source} line ${index + 1}: not "user:<bcrypt hash>"`);
      }
      entries.set(line.slice(0, colon), hash);
    });
    return new Htpasswd(entries);
  }

  /** verify says whether the password is the user's; unknown users take as long as known ones. */
  async verify(username: string, password: string): Promise<boolean> {
    const hash = this.entries.get(username);
    const match = await bcrypt().compare(password, hash ?? this.decoy);
    return hash !== undefined && match;
  }
}
