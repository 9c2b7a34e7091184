import { spawn } from 'node:child_process';

const DOCKER = '/usr/local/bin/docker';

/** One line of `docker events --format '{{json .}}'`. */
export interface DockerEvent {
  status?: string;
  id?: string;
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: string;
  time: number;
  timeNano: number;
}

export interface EventsWatcher {
  /** Every event printed so far, in order. */
  events(): DockerEvent[];
  /** Waits (up to 10 s) until `done` holds for the events so far, and returns them. */
  until(done: (events: DockerEvent[]) => boolean): Promise<DockerEvent[]>;
  stop(): void;
}

/** parseEvents reads the JSON lines `docker events --format '{{json .}}'` prints. */
export const parseEvents = (text: string): DockerEvent[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DockerEvent);

/**
 * watchEvents runs `docker events --format '{{json .}}' <args>` with `env` (its DOCKER_HOST names
 * the gateway) and collects what it prints. It resolves a second after the start: the CLI gives no
 * sign that its stream is open, and an event sent before that would be missed.
 */
export async function watchEvents(
  env: Record<string, string>,
  args: string[] = [],
): Promise<EventsWatcher> {
  let printed = '';
  const child = spawn(DOCKER, ['events', ...args, '--format', '{{json .}}'], { env });
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  await new Promise((done) => setTimeout(done, 1000));
  const events = () => parseEvents(printed);
  return {
    events,
    async until(done) {
      for (let i = 0; i < 50 && !done(events()); i++)
        await new Promise((next) => setTimeout(next, 200));
      return events();
    },
    stop: () => void child.kill(),
  };
}
