// Unit tests of the extension logic, with a mocked `vscode` module and a fake client.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { vscode, out } = require('./load-with-mock');

const { resolveServerCommand, subcommand, expandVariables, settingsPayload, languagesOf: languagesOfPackage, shellLine,
        clientLensCommand } = out('command');
const { describeHealth } = out('health');
const { CraftController, HEALTH_METHOD, AUDIT_LOG_METHOD, GENERATED_CODE_METHOD, GENERATED_SCHEME } = out('controller');
const pkg = require('../package.json');
const languagesOf = () => languagesOfPackage(pkg);

const HEALTHY = { status: 'healthy', services: { syntax: { status: 'healthy', message: 'canary parse ok' },
                                                  lsp: { status: 'healthy', message: '0 failed of 3 requests' } },
                  time: '2024-01-01T00:00:00Z' };
const DEGRADED = { status: 'degraded', services: { lsp: { status: 'degraded', message: '1 failed of 3 requests' } } };

function probe(executables, pathEnv = '/usr/bin:/opt/craft/bin') {
  return { isExecutable: (f) => executables.includes(f), pathEnv, platform: 'linux', home: '/home/u' };
}

function fakeFactory(options = {}) {
  const made = [];
  const factory = (spec) => {
    const handlers = new Map();
    const client = {
      spec, started: false, stopped: false, requests: [],
      async start() { if (options.failStart) { throw new Error('spawn craftls ENOENT'); } this.started = true; },
      async stop() { this.stopped = true; },
      async sendRequest(method, params) {
        this.requests.push({ method, params });
        if (method === HEALTH_METHOD) { return options.health ?? HEALTHY; }
        if (method === GENERATED_CODE_METHOD) {
          if (params.target === 'cobol') { const e = new Error("unknown target 'cobol'"); e.code = -32803; throw e; }
          return { target: params.target, language: params.target, text: `(module) ;; ${params.textDocument.uri}`, lineMap: [] };
        }
        if (method === AUDIT_LOG_METHOD) {
          if (options.noAudit) { const e = new Error('Unhandled method craftls/auditLog'); e.code = -32601; throw e; }
          return [{ action: 'serve', outcome: 'success' }];
        }
        throw new Error(`unexpected ${method}`);
      },
      onNotification(method, handler) {
        handlers.set(method, handler);
        return new vscode.Disposable(() => handlers.delete(method));
      },
      notify(method, params) { handlers.get(method)(params); },
      handlers,
    };
    made.push(client);
    return client;
  };
  return { factory, made };
}

function controller(options = {}) {
  vscode.__reset();
  vscode.__state.config['craftls.serverCommand'] = options.serverCommand ?? '/opt/craft/bin/craftls';
  const { factory, made } = fakeFactory(options);
  const runs = [];
  const runner = async (command, args, cwd) => { runs.push({ command, args, cwd }); return { code: 0, stdout: 'cache cleared', stderr: '' }; };
  const c = new CraftController(languagesOf(), factory, runner);
  c.register();
  return { c, made, runs, item: vscode.__state.statusItems[0] };
}

test('server command: setting (string), setting (array), pythonPath, .venv, PATH, none', () => {
  const none = { serverCommand: '', pythonPath: '', serverArgs: [] };
  assert.deepEqual(resolveServerCommand({ ...none, serverCommand: '/x/craftls' }, [], probe([])),
    { command: '/x/craftls', args: ['serve'], source: 'setting craftls.serverCommand' });
  assert.deepEqual(resolveServerCommand({ ...none, serverCommand: ['py', '-m', 'craftls', 'serve', '--log-level', 'DEBUG'] }, [], probe([])).args,
    ['-m', 'craftls', 'serve', '--log-level', 'DEBUG']);
  assert.deepEqual(resolveServerCommand({ ...none, pythonPath: '${workspaceFolder}/env/bin/python', serverArgs: ['--log-file', 'l.txt'] }, ['/w'], probe([])),
    { command: '/w/env/bin/python', args: ['-m', 'craftls', 'serve', '--log-file', 'l.txt'], source: 'setting craftls.pythonPath' });
  const venv = resolveServerCommand(none, ['/a', '/w'], probe(['/w/.venv/bin/craftls', '/opt/craft/bin/craftls']));
  assert.equal(venv.command, '/w/.venv/bin/craftls');
  assert.deepEqual(venv.args, ['serve']);
  assert.equal(resolveServerCommand(none, ['/a'], probe(['/opt/craft/bin/craftls'])).command, '/opt/craft/bin/craftls');
  assert.equal(resolveServerCommand(none, ['/a'], probe([])), undefined);
  assert.equal(expandVariables('~/bin/craftls', [], '/home/u'), '/home/u/bin/craftls');
});

test('server command: the real .venv of this repository is found', () => {
  const repo = path.resolve(__dirname, '..', '..', '..');
  const exe = path.join(repo, '.venv', 'bin', 'craftls');
  if (!fs.existsSync(exe)) {
    assert.fail(`${exe} is missing: install the project (make test) first`);
  }
  const found = resolveServerCommand({ serverCommand: '', pythonPath: '', serverArgs: [] }, [repo]);
  assert.equal(found.command, exe);
});

test('cache clear reuses the server command without `serve`', () => {
  assert.deepEqual(subcommand({ command: 'py', args: ['-m', 'craftls', 'serve', '--x'], source: '' }, ['cache', 'clear']),
    { command: 'py', args: ['-m', 'craftls', 'cache', 'clear'], source: '' });
  assert.deepEqual(subcommand({ command: 'craftls', args: ['serve'], source: 's' }, ['cache', 'clear']).args, ['cache', 'clear']);
});

test('health payloads become status text, detail and severity', () => {
  const ok = describeHealth(HEALTHY);
  assert.equal(ok.status, 'healthy');
  assert.equal(ok.severity, 0);
  assert.match(ok.text, /craftls healthy/);
  assert.match(ok.detail, /syntax: healthy \(canary parse ok\)/);
  assert.equal(describeHealth(DEGRADED).severity, 1);
  assert.equal(describeHealth({ status: 'unhealthy', services: {} }).severity, 2);
  assert.equal(describeHealth(null).status, 'unknown');
  assert.equal(describeHealth({ services: 3 }).status, 'unknown');
});

test('settings payload has defaults and typed values', () => {
  const s = settingsPayload((k) => ({ diagnosticsDebounceMs: 99.6, healthPolling: undefined })[k]);
  assert.equal(s.diagnosticsDebounceMs, 100);
  assert.equal(s.healthPolling, true);
  assert.deepEqual(s.serverArgs, []);
  assert.deepEqual(s.trace, { server: 'off' });
  assert.deepEqual(s.globals, {});
  const g = settingsPayload((k) => ({ globals: { lua: ['love', 'vim'] } })[k]);
  assert.deepEqual(g.globals, { lua: ['love', 'vim'] });
  assert.deepEqual(s.modes, {});
  const m = settingsPayload((k) => ({ modes: { turbopascal: 'fpc' } })[k]);
  assert.deepEqual(m.modes, { turbopascal: 'fpc' });
  assert.deepEqual(s.defines, {});
  const d = settingsPayload((k) => ({ defines: { turbopascal: ['MSWINDOWS', '-LINUX'] } })[k]);
  assert.deepEqual(d.defines, { turbopascal: ['MSWINDOWS', '-LINUX'] });
});

test('package.json: commands, languages and grammars are consistent', () => {
  const commands = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(commands, ['craftls.clearCaches', 'craftls.restartServer', 'craftls.runFile', 'craftls.showAuditLog',
    'craftls.showGeneratedCode', 'craftls.showHealth']);
  const { c } = controller();
  assert.deepEqual([...vscode.__state.commands.keys()].sort(), commands);
  c.dispose();
  const ids = languagesOf();
  assert.deepEqual([...ids].sort(), ['basic', 'curly', 'espanol', 'lua', 'pascal', 'qbasic', 'teachlang', 'turbopascal']);
  for (const lang of pkg.contributes.languages) {
    assert.ok(fs.existsSync(path.join(__dirname, '..', lang.configuration)), lang.configuration);
  }
  for (const grammar of pkg.contributes.grammars) {
    assert.ok(ids.includes(grammar.language));
    assert.ok(fs.existsSync(path.join(__dirname, '..', grammar.path)), grammar.path);
  }
  assert.equal(pkg.main, './dist/extension.js');
  assert.match(pkg.dependencies['vscode-languageclient'], /^\^9\./);
  for (const key of ['craftls.serverCommand', 'craftls.pythonPath']) {
    assert.ok(pkg.contributes.configuration.properties[key], key);
  }
});

test('start: client made from the settings, health polled, status item updated', async () => {
  const { c, made, item } = controller();
  await c.start();
  assert.equal(made.length, 1);
  const client = made[0];
  assert.equal(client.spec.server.command, '/opt/craft/bin/craftls');
  assert.deepEqual(client.spec.server.args, ['serve']);
  assert.deepEqual([...client.spec.languages].sort(), ['basic', 'curly', 'espanol', 'lua', 'pascal', 'qbasic', 'teachlang', 'turbopascal']);
  assert.equal(client.spec.initializationOptions.settings.diagnosticsDebounceMs, 150);
  assert.ok(client.started);
  assert.deepEqual(client.requests.map((r) => r.method), [HEALTH_METHOD]);
  assert.equal(c.state, 'running');
  assert.match(item.text, /craftls healthy/);
  assert.equal(item.severity, vscode.LanguageStatusSeverity.Information);
  assert.equal(item.command.command, 'craftls.showHealth');
  assert.deepEqual(item.selector.map((s) => s.language).sort(), ['basic', 'curly', 'espanol', 'lua', 'pascal', 'qbasic', 'teachlang', 'turbopascal']);
  c.dispose();
});

test('a craftls/health notification updates the status item', async () => {
  const { c, made, item } = controller();
  await c.start();
  made[0].notify(HEALTH_METHOD, DEGRADED);
  assert.match(item.text, /craftls degraded/);
  assert.equal(item.severity, vscode.LanguageStatusSeverity.Warning);
  assert.match(item.detail, /1 failed of 3/);
  c.dispose();
});

test('didSave middleware forwards the save, then polls health', async () => {
  const { c, made } = controller();
  await c.start();
  const forwarded = [];
  await c.middleware().didSave({ uri: 'file:///w/a.pas' }, async (doc) => { forwarded.push(doc.uri); });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(forwarded, ['file:///w/a.pas']);
  assert.deepEqual(made[0].requests.map((r) => r.method), [HEALTH_METHOD, HEALTH_METHOD]);
  c.dispose();
});

test('workspace/configuration: the craftls section comes from the settings', async () => {
  const { c } = controller();
  vscode.__state.config['craftls.diagnosticsDebounceMs'] = 400;
  const answers = await c.middleware().workspace.configuration(
    { items: [{ section: 'craftls' }, { section: 'editor' }, { section: 'craftls.diagnosticsDebounceMs' }] },
    undefined, async () => [{ raw: true }, { tabSize: 4 }, null]);
  assert.equal(answers[0].diagnosticsDebounceMs, 400);
  assert.equal(answers[0].serverCommand, '/opt/craft/bin/craftls');
  assert.deepEqual(answers[1], { tabSize: 4 });
  assert.equal(answers[2], 400);
  c.dispose();
});

test('restart stops the old client and starts a new one; a settings change restarts too', async () => {
  const { c, made } = controller();
  await c.start();
  await vscode.commands.executeCommand('craftls.restartServer');
  assert.equal(made.length, 2);
  assert.ok(made[0].stopped);
  assert.equal(made[0].handlers.size, 0, 'the old client handlers are disposed');
  assert.ok(made[1].started);
  assert.equal(c.state, 'running');
  vscode.__changeConfig({ 'craftls.serverCommand': '/other/craftls' });
  await c.restart(); // queued after the one the change started
  assert.ok(made.length >= 3);
  assert.equal(made[made.length - 1].spec.server.command, '/other/craftls');
  vscode.__changeConfig({ 'craftls.diagnosticsDebounceMs': 10 });
  const count = made.length;
  await c.restart();
  assert.equal(made.length, count + 1, 'an unrelated setting does not restart');
  c.dispose();
});

test('show health prints pretty JSON in an output channel', async () => {
  const { c } = controller();
  await c.start();
  await vscode.commands.executeCommand('craftls.showHealth');
  const channel = c.healthChannel;
  assert.ok(channel.shown > 0);
  const json = JSON.parse(channel.lines.slice(1).join('\n'));
  assert.deepEqual(json, HEALTHY);
  assert.match(channel.lines[1], /^\{\n  "status": "healthy"/);
  c.dispose();
});

test('show audit log: JSON when the server answers, a warning when it does not', async () => {
  let { c } = controller();
  await c.start();
  await vscode.commands.executeCommand('craftls.showAuditLog');
  assert.deepEqual(JSON.parse(c.healthChannel.lines.slice(1).join('\n')), [{ action: 'serve', outcome: 'success' }]);
  c.dispose();
  ({ c } = controller({ noAudit: true }));
  await c.start();
  await vscode.commands.executeCommand('craftls.showAuditLog');
  assert.ok(vscode.__state.messages.some((m) => m.kind === 'warning' && /craftls audit tail/.test(m.text)));
  c.dispose();
});

test('clear caches runs `craftls cache clear`', async () => {
  const { c, runs } = controller({ serverCommand: ['/py', '-m', 'craftls', 'serve'] });
  vscode.__state.workspaceFolders = ['/w'];
  const result = await vscode.commands.executeCommand('craftls.clearCaches');
  assert.equal(result.code, 0);
  assert.deepEqual(runs, [{ command: '/py', args: ['-m', 'craftls', 'cache', 'clear'], cwd: '/w' }]);
  assert.ok(vscode.__state.messages.some((m) => m.kind === 'info'));
  assert.match(c.output.text(), /cache cleared/);
  c.dispose();
});

test('a server that cannot start or cannot be found shows as failed', async () => {
  let { c, item } = controller({ failStart: true });
  await c.start();
  assert.equal(c.state, 'failed');
  assert.match(item.text, /failed/);
  assert.equal(item.severity, vscode.LanguageStatusSeverity.Error);
  c.dispose();
  ({ c, item } = controller({ serverCommand: '' }));
  const savedPath = process.env.PATH;
  process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'nopath-'));
  try {
    await c.start();
  } finally {
    process.env.PATH = savedPath;
  }
  assert.equal(c.state, 'failed');
  assert.ok(vscode.__state.messages.some((m) => m.kind === 'error' && /craftls not found/.test(m.text)));
  c.dispose();
});

test('run file: craftls run FILE --target T in a terminal, after saving', async () => {
  const { c } = controller();
  const doc = vscode.__textDocument("/w/it's.pas", 'PROGRAM P; BEGIN END.', true);
  vscode.__state.textDocuments.push(doc);
  vscode.__state.activeTextEditor = { document: doc };
  const line = await vscode.commands.executeCommand('craftls.runFile');
  assert.equal(line, "/opt/craft/bin/craftls run '/w/it'\\''s.pas' --target interp");
  assert.equal(doc.saved, 1);
  const terminal = vscode.__state.terminals[0];
  assert.deepEqual(terminal.sent, [line]);
  assert.equal(terminal.shown, 1);
  assert.equal(await c.runFile(doc.uri.toString(), 'wasm'), "/opt/craft/bin/craftls run '/w/it'\\''s.pas' --target wasm");
  assert.equal(shellLine(['a b', 'c']), "'a b' c");
});

test('show generated code: a read-only craftls-generated document beside the source', async () => {
  const { c, made } = controller();
  await c.start();
  const doc = vscode.__textDocument('/w/p.pas', 'PROGRAM P; BEGIN END.');
  vscode.__state.textDocuments.push(doc);
  const shown = await vscode.commands.executeCommand('craftls.showGeneratedCode', 'file:///w/p.pas', 'wat');
  assert.equal(shown.scheme, GENERATED_SCHEME);
  assert.equal(shown.path, '/p.pas.wat');
  const request = made[0].requests.find((r) => r.method === GENERATED_CODE_METHOD);
  assert.deepEqual(request.params, { textDocument: { uri: 'file:///w/p.pas' }, target: 'wat' });
  const opened = vscode.__state.shown[0];
  assert.equal(opened.doc.getText(), '(module) ;; file:///w/p.pas');
  assert.equal(opened.options.viewColumn, vscode.ViewColumn.Beside);
  // a refusal (RequestFailed) is an error message, not an exception
  assert.equal(await c.showGenerated('file:///w/p.pas', 'cobol'), undefined);
  assert.ok(vscode.__state.messages.some((m) => m.kind === 'error' && m.text.includes("unknown target 'cobol'")));
});

test('code lenses: the server commands become the extension commands', async () => {
  const { c } = controller();
  const lenses = [{ command: { title: 'Run', command: 'craftls.run', arguments: ['file:///w/p.pas'] } },
                  { command: { title: 'Show WebAssembly', command: 'craftls.showGenerated', arguments: ['file:///w/p.pas', 'wat'] } },
                  { command: { title: 'Other', command: 'craftls.other' } }, {}];
  const result = await c.middleware().provideCodeLenses({}, {}, async () => lenses);
  assert.deepEqual(result.map((l) => l.command && [l.command.command, l.command.arguments]), [
    ['craftls.runFile', ['file:///w/p.pas']], ['craftls.showGeneratedCode', ['file:///w/p.pas', 'wat']],
    ['craftls.other', undefined], undefined]);
  assert.deepEqual(clientLensCommand({ command: 'x' }), { command: 'x' });
});
