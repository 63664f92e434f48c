import { spawn, type ChildProcess } from 'node:child_process';

/** An entry point of the service running as a child process, as `npm start` or the container runs it. */
export interface Started {
  child: ChildProcess;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Its stdout and stderr so far, interleaved. */
  output(): string;
  startedAt: number;
}

/** The child processes of one test file: started in `cwd`, and killed if still running at its end. */
export class Processes {
  private readonly children: ChildProcess[] = [];
  constructor(private readonly cwd: string) {}

  /** `node <args>` with PATH and `env` as its whole environment (nothing leaks in from the test's). */
  start(args: string[], env: Record<string, string>): Started {
    const child = spawn(process.execPath, args, {
      cwd: this.cwd,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, output: () => output, startedAt: Date.now() };
  }

  killAll(): void {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

/**
 * Polls `url` until it answers 200 and returns that answer. A process that has already exited will
 * never answer: that fails at once with its output instead of waiting out the clock.
 */
export async function untilServing(url: string, started: Started, ms: number): Promise<Response> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (started.child.exitCode !== null) throw new Error(`service exited (${started.child.exitCode}):\n${started.output()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return res;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered 200:\n${started.output()}`);
}
