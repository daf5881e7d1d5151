// Finding the craftls server command, and the settings the server is given.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ServerSettings {
  serverCommand: string | string[];
  pythonPath: string;
  serverArgs: string[];
}

export interface ResolvedCommand {
  command: string;
  args: string[];
  /** Where it came from, shown in the output channel: a setting, .venv or PATH. */
  source: string;
}

export interface Probe {
  isExecutable(file: string): boolean;
  pathEnv: string | undefined;
  platform: NodeJS.Platform;
  home: string;
}

export function defaultProbe(): Probe {
  return {
    isExecutable(file: string): boolean {
      try {
        const st = fs.statSync(file);
        if (!st.isFile()) {
          return false;
        }
        if (process.platform === 'win32') {
          return true;
        }
        fs.accessSync(file, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    pathEnv: process.env.PATH,
    platform: process.platform,
    home: os.homedir(),
  };
}

/** `${workspaceFolder}`, `${userHome}` and a leading `~` in a path setting. */
export function expandVariables(value: string, folders: string[], home: string): string {
  let out = value.replace(/\$\{workspaceFolder\}/g, folders[0] ?? '.')
    .replace(/\$\{userHome\}/g, home);
  if (out === '~' || out.startsWith('~/')) {
    out = home + out.slice(1);
  }
  return out;
}

function venvCandidates(folder: string, platform: NodeJS.Platform): string[] {
  return platform === 'win32'
    ? [path.join(folder, '.venv', 'Scripts', 'craftls.exe')]
    : [path.join(folder, '.venv', 'bin', 'craftls')];
}

function whichCraftls(probe: Probe): string | undefined {
  const sep = probe.platform === 'win32' ? ';' : ':';
  const names = probe.platform === 'win32' ? ['craftls.exe', 'craftls.cmd', 'craftls'] : ['craftls'];
  for (const dir of (probe.pathEnv ?? '').split(sep)) {
    if (!dir) {
      continue;
    }
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (probe.isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * The command that starts `craftls serve` on stdio, in this order: the
 * `craftls.serverCommand` setting, `craftls.pythonPath` (`python -m craftls serve`),
 * `.venv/bin/craftls` in a workspace folder, `craftls` on PATH.
 */
export function resolveServerCommand(settings: ServerSettings, folders: string[],
                                     probe: Probe = defaultProbe()): ResolvedCommand | undefined {
  const extra = (settings.serverArgs ?? []).filter((a) => typeof a === 'string');
  const expand = (v: string) => expandVariables(v, folders, probe.home);
  const configured = settings.serverCommand;
  if (Array.isArray(configured) && configured.length > 0 && configured[0]) {
    const [command, ...args] = configured.map(expand);
    return { command, args: [...args, ...extra], source: 'setting craftls.serverCommand' };
  }
  if (typeof configured === 'string' && configured.trim()) {
    return { command: expand(configured.trim()), args: ['serve', ...extra],
             source: 'setting craftls.serverCommand' };
  }
  if (settings.pythonPath && settings.pythonPath.trim()) {
    return { command: expand(settings.pythonPath.trim()), args: ['-m', 'craftls', 'serve', ...extra],
             source: 'setting craftls.pythonPath' };
  }
  for (const folder of folders) {
    for (const candidate of venvCandidates(folder, probe.platform)) {
      if (probe.isExecutable(candidate)) {
        return { command: candidate, args: ['serve', ...extra], source: `${folder}/.venv` };
      }
    }
  }
  const onPath = whichCraftls(probe);
  if (onPath) {
    return { command: onPath, args: ['serve', ...extra], source: 'PATH' };
  }
  return undefined;
}

/** The same craftls, running another subcommand (`craftls cache clear`). */
export function subcommand(resolved: ResolvedCommand, words: string[]): ResolvedCommand {
  const at = resolved.args.indexOf('serve');
  const prefix = at >= 0 ? resolved.args.slice(0, at) : [];
  return { command: resolved.command, args: [...prefix, ...words], source: resolved.source };
}

/** The settings object the server gets (initializationOptions and workspace/configuration). */
export function settingsPayload(get: (key: string) => unknown): Record<string, unknown> {
  const num = get('diagnosticsDebounceMs');
  return {
    serverCommand: get('serverCommand') ?? '',
    pythonPath: get('pythonPath') ?? '',
    serverArgs: get('serverArgs') ?? [],
    diagnosticsDebounceMs: typeof num === 'number' ? Math.round(num) : 150,
    healthPolling: get('healthPolling') !== false,
    // the server checks the shape and names what it cannot use
    globals: get('globals') ?? {},
    modes: get('modes') ?? {},
    defines: get('defines') ?? {},
    trace: { server: get('trace.server') ?? 'off' },
  };
}

/** The language ids the extension contributes (the client's document selector). */
export function languagesOf(packageJSON: unknown): string[] {
  const langs = (packageJSON as { contributes?: { languages?: { id?: unknown }[] } })?.contributes?.languages ?? [];
  return langs.map((l) => l.id).filter((id): id is string => typeof id === 'string');
}

/** A command line as one shell string for a terminal (POSIX quoting; plain words as they are). */
export function shellLine(words: string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`)).join(' ');
}

/** The server's code-lens commands (`craftls.run`, `craftls.showGenerated`) as the
 * extension's own: run in a terminal, show generated code in a read-only document. */
export function clientLensCommand(command: { command: string; arguments?: unknown[] }): { command: string; arguments?: unknown[] } {
  if (command.command === 'craftls.run') {
    return { ...command, command: 'craftls.runFile' };
  }
  if (command.command === 'craftls.showGenerated') {
    return { ...command, command: 'craftls.showGeneratedCode' };
  }
  return command;
}
