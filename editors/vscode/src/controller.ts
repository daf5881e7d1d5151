// The extension's logic: starting and restarting the client, health in the language
// status item, and the commands. The LanguageClient itself is made by a factory so that
// this file runs under a mocked `vscode` module in the unit tests.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient';
import { clientLensCommand, ResolvedCommand, resolveServerCommand, settingsPayload, shellLine, subcommand } from './command';
import { describeHealth, HealthView, stateView } from './health';

export const SECTION = 'craftls';
export const HEALTH_METHOD = 'craftls/health';
export const AUDIT_LOG_METHOD = 'craftls/auditLog';
export const GENERATED_CODE_METHOD = 'craftls/generatedCode';
/** The scheme of the read-only documents that show generated code. */
export const GENERATED_SCHEME = 'craftls-generated';

export interface ClientLike {
  start(): Promise<void>;
  stop(timeout?: number): Promise<void>;
  sendRequest<R = unknown>(method: string, params?: unknown): Promise<R>;
  onNotification(method: string, handler: (params: unknown) => void): vscode.Disposable;
}

export interface ClientSpec {
  server: ResolvedCommand;
  languages: string[];
  middleware: Middleware;
  initializationOptions: Record<string, unknown>;
  outputChannel: vscode.OutputChannel;
}

export type ClientFactory = (spec: ClientSpec) => ClientLike;

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type ProcessRunner = (command: string, args: string[], cwd: string | undefined) => Promise<ProcessResult>;

export type ServerState = 'stopped' | 'starting' | 'running' | 'failed';

export class CraftController implements vscode.Disposable {
  client: ClientLike | undefined;
  state: ServerState = 'stopped';
  lastHealth: unknown = undefined;
  view: HealthView = stateView('stopped');
  readonly output: vscode.OutputChannel;
  readonly healthChannel: vscode.OutputChannel;
  readonly statusItem: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];
  private pending: Promise<void> = Promise.resolve();
  /** Generated code by virtual document URI (string), served read-only. */
  readonly generated = new Map<string, string>();
  private readonly generatedChanged = new vscode.EventEmitter<vscode.Uri>();

  constructor(readonly languages: string[], private readonly factory: ClientFactory,
              private readonly runProcess: ProcessRunner) {
    this.output = vscode.window.createOutputChannel('craftls');
    this.healthChannel = vscode.window.createOutputChannel('craftls health');
    const selector = languages.map((language) => ({ language }));
    this.statusItem = vscode.languages.createLanguageStatusItem('craftls.health', selector);
    this.statusItem.name = 'craftls';
    this.statusItem.command = { title: 'Show health', command: 'craftls.showHealth' };
    this.disposables.push(this.output, this.healthChannel, this.statusItem);
    this.show(this.view);
  }

  /** Registers the commands and the settings watcher; returns what to dispose. */
  register(): vscode.Disposable[] {
    const reg = vscode.commands.registerCommand;
    this.disposables.push(
      reg('craftls.restartServer', () => this.restart()),
      reg('craftls.showHealth', () => this.showHealth()),
      reg('craftls.showAuditLog', () => this.showAuditLog()),
      reg('craftls.clearCaches', () => this.clearCaches()),
      reg('craftls.runFile', (uri?: unknown, target?: unknown) => this.runFile(uri, target)),
      reg('craftls.showGeneratedCode', (uri?: unknown, target?: unknown) => this.showGenerated(uri, target)),
      vscode.workspace.registerTextDocumentContentProvider(GENERATED_SCHEME, {
        onDidChange: this.generatedChanged.event,
        provideTextDocumentContent: (uri: vscode.Uri) => this.generated.get(uri.toString()) ?? '',
      }),
      this.generatedChanged,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['serverCommand', 'pythonPath', 'serverArgs'].some(
          (key) => event.affectsConfiguration(`${SECTION}.${key}`))) {
          void this.restart();
        }
      }),
    );
    return this.disposables;
  }

  settings(): Record<string, unknown> {
    const config = vscode.workspace.getConfiguration(SECTION);
    return settingsPayload((key) => config.get(key));
  }

  folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  }

  resolveServer(): ResolvedCommand | undefined {
    const s = this.settings();
    return resolveServerCommand({
      serverCommand: s.serverCommand as string | string[],
      pythonPath: s.pythonPath as string,
      serverArgs: s.serverArgs as string[],
    }, this.folders());
  }

  /** Middleware: settings answered from the `craftls` section, health polled after a save. */
  middleware(): Middleware {
    return {
      workspace: {
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, i) => {
            if (item.section === SECTION) {
              return this.settings();
            }
            if (item.section?.startsWith(`${SECTION}.`)) {
              return vscode.workspace.getConfiguration(SECTION).get(item.section.slice(SECTION.length + 1));
            }
            return answers[i];
          });
        },
      },
      didSave: async (document, next) => {
        await next(document);
        void this.pollHealth('save');
      },
      // the server's Run / Show lenses run the extension's commands (a terminal, a document)
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        for (const lens of lenses ?? []) {
          if (lens.command) {
            lens.command = clientLensCommand(lens.command) as vscode.Command;
          }
        }
        return lenses;
      },
    };
  }

  /** The file a command is about: its argument (a URI or its string), else the active editor's. */
  private targetDocument(uri: unknown): vscode.TextDocument | undefined {
    const wanted = typeof uri === 'string' ? uri : (uri as vscode.Uri | undefined)?.toString();
    const editor = vscode.window.activeTextEditor;
    if (!wanted) {
      return editor?.document;
    }
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === wanted);
  }

  /** `craftls run FILE --target T` in a terminal (the program reads what is typed there),
   * as rust-analyzer's runnables do. */
  async runFile(uri?: unknown, target?: unknown): Promise<string | undefined> {
    const document = this.targetDocument(uri);
    const server = this.resolveServer();
    if (!document || document.uri.scheme !== 'file' || !server) {
      void vscode.window.showErrorMessage(!server ? 'craftls not found; see the craftls output channel'
        : 'craftls: open a saved file of a craftls language to run it');
      return undefined;
    }
    if (document.isDirty) {
      await document.save();
    }
    const run = subcommand(server, ['run', document.uri.fsPath, '--target', typeof target === 'string' ? target : 'interp']);
    const line = shellLine([run.command, ...run.args]);
    const terminal = vscode.window.createTerminal({ name: 'craftls run', cwd: this.folders()[0] });
    terminal.show();
    terminal.sendText(line);
    this.output.appendLine(`running ${line}`);
    return line;
  }

  /** The `craftls/generatedCode` answer in a read-only document beside the source. */
  async showGenerated(uri?: unknown, target?: unknown): Promise<vscode.Uri | undefined> {
    const document = this.targetDocument(uri);
    const kind = typeof target === 'string' ? target : 'c';
    if (!document || !this.client || this.state !== 'running') {
      void vscode.window.showWarningMessage('craftls: no running server for this document');
      return undefined;
    }
    let answer: { text: string };
    try {
      answer = await this.client.sendRequest<{ text: string }>(GENERATED_CODE_METHOD,
        { textDocument: { uri: document.uri.toString() }, target: kind });
    } catch (err) {
      const message = `craftls cannot generate ${kind}: ${String((err as Error)?.message ?? err)}`;
      this.output.appendLine(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
    const name = document.uri.path.split('/').pop() ?? 'program';
    const shown = vscode.Uri.parse(`${GENERATED_SCHEME}:/${name}.${kind}`);
    this.generated.set(shown.toString(), answer.text);
    this.generatedChanged.fire(shown);
    const doc = await vscode.workspace.openTextDocument(shown);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return shown;
  }

  private show(view: HealthView): void {
    this.view = view;
    this.statusItem.text = view.text;
    this.statusItem.detail = view.detail;
    this.statusItem.severity = view.severity as vscode.LanguageStatusSeverity;
    this.statusItem.busy = this.state === 'starting';
  }

  /** Serialises start/stop/restart: a restart asked during a start waits for it. */
  private queue(work: () => Promise<void>): Promise<void> {
    this.pending = this.pending.then(work, work);
    return this.pending;
  }

  start(): Promise<void> {
    return this.queue(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.queue(() => this.doStop());
  }

  restart(): Promise<void> {
    return this.queue(async () => {
      this.output.appendLine('restarting craftls');
      await this.doStop();
      await this.doStart();
    });
  }

  private async doStart(): Promise<void> {
    const server = this.resolveServer();
    if (!server) {
      this.state = 'failed';
      const message = 'craftls not found: install it (pip install craftls) into the workspace .venv '
        + 'or on PATH, or set craftls.serverCommand / craftls.pythonPath';
      this.show(stateView('failed', message));
      this.output.appendLine(message);
      void vscode.window.showErrorMessage(message);
      return;
    }
    this.state = 'starting';
    this.show(stateView('starting', `${server.command} ${server.args.join(' ')}`));
    this.output.appendLine(`starting ${server.command} ${server.args.join(' ')} (from ${server.source})`);
    const client = this.factory({
      server,
      languages: this.languages,
      middleware: this.middleware(),
      initializationOptions: { settings: this.settings(), notifications: { health: true } },
      outputChannel: this.output,
    });
    this.client = client;
    this.clientDisposables.push(client.onNotification(HEALTH_METHOD, (params) => this.updateHealth(params)));
    try {
      await client.start();
    } catch (err) {
      this.state = 'failed';
      this.show(stateView('failed', String(err)));
      this.output.appendLine(`craftls failed to start: ${String(err)}`);
      return;
    }
    this.state = 'running';
    this.show(stateView('starting', 'waiting for health'));
    await this.pollHealth('start');
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) {
      d.dispose();
    }
    if (client) {
      try {
        await client.stop(2000);
      } catch (err) {
        this.output.appendLine(`craftls did not stop cleanly: ${String(err)}`);
      }
    }
    this.state = 'stopped';
    this.show(stateView('stopped'));
  }

  updateHealth(payload: unknown): void {
    this.lastHealth = payload;
    this.show(describeHealth(payload));
  }

  async pollHealth(reason: string): Promise<unknown> {
    const client = this.client;
    if (!client || this.state !== 'running' || this.settings().healthPolling === false) {
      return undefined;
    }
    try {
      const payload = await client.sendRequest(HEALTH_METHOD, {});
      if (client === this.client) {
        this.updateHealth(payload);
      }
      return payload;
    } catch (err) {
      this.output.appendLine(`craftls/health after ${reason} failed: ${String(err)}`);
      this.show({ status: 'unknown', text: '$(warning) craftls', detail: `health request failed: ${String(err)}`,
                  severity: 1 });
      return undefined;
    }
  }

  private showJson(channel: vscode.OutputChannel, title: string, value: unknown): void {
    channel.clear();
    channel.appendLine(`# ${title} (${new Date().toISOString()})`);
    channel.appendLine(JSON.stringify(value, null, 2));
    channel.show(true);
  }

  async showHealth(): Promise<void> {
    const fresh = await this.pollHealth('command');
    const payload = fresh ?? this.lastHealth ?? { status: this.state, services: {} };
    this.showJson(this.healthChannel, 'craftls/health', payload);
  }

  async showAuditLog(): Promise<void> {
    if (!this.client || this.state !== 'running') {
      void vscode.window.showWarningMessage('craftls is not running');
      return;
    }
    try {
      const records = await this.client.sendRequest(AUDIT_LOG_METHOD, { limit: 200 });
      this.showJson(this.healthChannel, 'craftls/auditLog', records);
    } catch (err) {
      const code = (err as { code?: number })?.code;
      const message = code === -32601
        ? 'this craftls does not answer craftls/auditLog; use `craftls audit tail` in a terminal'
        : `craftls/auditLog failed: ${String((err as Error)?.message ?? err)}`;
      this.output.appendLine(message);
      void vscode.window.showWarningMessage(message);
    }
  }

  async clearCaches(): Promise<ProcessResult | undefined> {
    const server = this.resolveServer();
    if (!server) {
      void vscode.window.showErrorMessage('craftls not found; see the craftls output channel');
      return undefined;
    }
    const clear = subcommand(server, ['cache', 'clear']);
    this.output.appendLine(`running ${clear.command} ${clear.args.join(' ')}`);
    const result = await this.runProcess(clear.command, clear.args, this.folders()[0]);
    if (result.stdout) {
      this.output.appendLine(result.stdout.trimEnd());
    }
    if (result.stderr) {
      this.output.appendLine(result.stderr.trimEnd());
    }
    if (result.code === 0) {
      void vscode.window.showInformationMessage('craftls caches cleared');
    } else {
      void vscode.window.showErrorMessage(`craftls cache clear failed (exit ${result.code}); see the craftls output`);
    }
    return result;
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}
