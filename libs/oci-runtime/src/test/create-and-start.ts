// Run by runtime.spec.ts in a separate Node process that exits right after starting the
// container: the container must outlive it. Args: <stateDir> <id> <bundle>.
import { join } from 'node:path';
import { ConmonRuntime } from '../index';

async function main(): Promise<void> {
  const [dir = '', id = '', bundle = ''] = process.argv.slice(2);
  const runtime = new ConmonRuntime({ stateRoot: join(dir, 'state') });
  await runtime.create({
    id,
    bundle,
    logPath: join(bundle, 'ctr.log'),
    exitDir: join(dir, 'exits'),
    tty: true,
    openStdin: true,
  });
  await runtime.start(id);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(1);
  },
);
