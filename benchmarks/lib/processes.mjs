import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
// Ports for the services started next, picked the way the tests pick them.
export { freePort } from '@threadline/testing';

/**
 * Starts `node <args>` pinned to `core`, resolving once it reported "listening" on stderr. Its
 * stdout (the service's log lines) goes to /dev/null: a pipe read by this process would make
 * the service wait on the reader, which measures the reader.
 */
export async function startPinned(core, args, env, cwd) {
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  await new Promise((resolve, reject) => {
    child.stderr.on('data', function onData(chunk) {
      errors += chunk;
      if (errors.includes('listening')) {
        child.stderr.removeListener('data', onData);
        child.stderr.resume();
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${errors}`)));
  });
  return child;
}

export async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await once(child, 'exit');
  clearTimeout(timer);
}

/** utime + stime of a process, in seconds, from /proc (Linux). */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

export function rssMegabytes(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** The pid of the node process under taskset (taskset execs, so it is the same pid). */
export function loadTest(core, url, seconds, connections, cwd) {
  const result = spawnSync('taskset', ['-c', String(core), process.execPath, 'lib/load.mjs', url, String(seconds), String(connections)], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`load test failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

