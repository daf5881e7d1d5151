// End to end: `craftls serve` spawned over stdio and driven from node with
// vscode-languageserver-protocol and VS Code's client capabilities, as the extension's
// LanguageClient would (VS Code itself cannot be downloaded here).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const rpc = require('vscode-languageserver-protocol/node');
const { REPO, python } = require('./env');
const { capabilities } = require('./vscode-capabilities');
const { clientLensCommand } = require(path.join(__dirname, '..', 'out', 'src', 'command'));

const TIMEOUT = 15000;
// Start-up (Python loading craftls and pygls, then `initialize`) takes about 2 s of CPU;
// on a loaded CI machine waiting for a core stretched it past 15 s. It gets its own,
// longer bound (CRAFTLS_E2E_STARTUP_MS overrides it); a server that exits or crashes
// instead of answering still fails at once, with its exit code and stderr.
const STARTUP_TIMEOUT = Number(process.env.CRAFTLS_E2E_STARTUP_MS) || 120000;

function within(promise, what, ms = TIMEOUT) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms); }),
  ]);
}

function applyEdits(text, edits) {
  const lines = text.split('\n');
  const offset = (pos) => lines.slice(0, pos.line).reduce((n, l) => n + l.length + 1, 0) + pos.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}

async function startServer(t, clientCaps) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'craftls-e2e-'));
  const env = { ...process.env, CRAFTLS_CACHE_DIR: path.join(dir, 'cache'), CRAFTLS_LOG_DIR: path.join(dir, 'log'),
                CRAFTLS_CONFIG_DIR: path.join(dir, 'config') };
  const child = spawn(python(), ['-m', 'craftls', 'serve', '--log-file', path.join(dir, 'server.log')],
    { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const seen = { diagnostics: [], requests: [], notifications: [] };
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => seen.diagnostics.push(p));
  connection.onNotification((method, params) => seen.notifications.push({ method, params }));
  connection.onRequest((method, params) => {
    seen.requests.push({ method, params });
    return method === 'workspace/configuration' ? params.items.map(() => ({})) : null;
  });
  connection.listen();
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill();
    }
    connection.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const started = Date.now();
  const died = exited.then((code) => {
    throw new Error(`craftls serve exited with ${code} before answering initialize:\n${stderr}`);
  });
  const initialize = connection.sendRequest(rpc.InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: '1.95.0' },
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }],
    capabilities: clientCaps,
    // the sample is the Pascal-style language's (by extension .pas is turbopascal's)
    initializationOptions: { settings: { diagnosticsDebounceMs: 50 },
                             languages: [{ definition: 'pascal', files: ['*.pas'] }] },
    trace: 'off',
  });
  let init;
  try {
    init = await within(Promise.race([initialize, died]), 'initialize', STARTUP_TIMEOUT);
  } catch (error) {
    error.message += `\n(after ${Date.now() - started} ms; server stderr:\n${stderr.slice(-3000)})`;
    throw error;
  }
  died.catch(() => {});  // the exit after shutdown is expected; shutdown() checks its code
  await connection.sendNotification(rpc.InitializedNotification.type, {});
  return { connection, dir, init, seen, exited, stderr: () => stderr };
}

async function shutdown(s) {
  await within(s.connection.sendRequest(rpc.ShutdownRequest.type), 'shutdown');
  await s.connection.sendNotification(rpc.ExitNotification.type);
  assert.equal(await within(s.exited, 'exit after shutdown'), 0, s.stderr());
}

function pascalDocument(dir) {
  const original = fs.readFileSync(path.join(REPO, 'examples', 'pascal', 'primes.pas'), 'utf8');
  const text = original
    .replace('  Count := 0;', '  Count := Missing + 0;')  // a deliberate error
    .replace('  D := 2;', '  D:=2;');                      // something to format
  assert.notEqual(text, original);
  const file = path.join(dir, 'primes.pas');
  fs.writeFileSync(file, text);
  return { uri: pathToFileURL(file).href, text, lines: text.split('\n') };
}

function find(doc, needle, nth = 0) {
  let from = 0;
  for (let i = 0; i <= nth; i++) {
    from = doc.text.indexOf(needle, i === 0 ? 0 : from + 1);
    assert.ok(from >= 0, `${needle} #${nth}`);
  }
  const before = doc.text.slice(0, from).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('VS Code-like client: pull diagnostics, completion, hover, formatting, rename, health', async (t) => {
  const s = await startServer(t, capabilities());
  const caps = s.init.capabilities;
  assert.equal(caps.positionEncoding ?? 'utf-16', 'utf-16', 'VS Code only speaks utf-16');
  assert.ok(caps.completionProvider && caps.hoverProvider && caps.documentFormattingProvider);
  assert.deepEqual(caps.renameProvider, { prepareProvider: true });
  assert.ok(caps.diagnosticProvider, 'pull diagnostics offered');
  assert.equal(s.init.serverInfo.name, 'craftls');

  const doc = pascalDocument(s.dir);
  await s.connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
    { textDocument: { uri: doc.uri, languageId: 'pascal', version: 1, text: doc.text } });

  // diagnostics: VS Code declares pull diagnostics, so it asks
  const report = await within(s.connection.sendRequest(rpc.DocumentDiagnosticRequest.type,
    { textDocument: { uri: doc.uri } }), 'textDocument/diagnostic');
  assert.equal(report.kind, 'full');
  const missing = report.items.find((d) => /Missing/.test(d.message));
  assert.ok(missing, JSON.stringify(report.items));
  assert.deepEqual(missing.range.start, { line: find(doc, 'Missing').line, character: find(doc, 'Missing').character });
  assert.equal(missing.source, 'craftls');
  assert.equal(missing.code, 'undefined-name');

  // completion at the start of a statement in the main program
  const at = find(doc, "Name := 'Sieve'");
  const completion = await within(s.connection.sendRequest(rpc.CompletionRequest.type,
    { textDocument: { uri: doc.uri }, position: at, context: { triggerKind: 1 } }), 'completion');
  const labels = (Array.isArray(completion) ? completion : completion.items).map((i) => i.label);
  for (const expected of ['WriteLn', 'Count', 'IsPrime', 'Flags']) {
    assert.ok(labels.includes(expected), `${expected} in ${labels.slice(0, 40)}`);
  }
  const item = (Array.isArray(completion) ? completion : completion.items).find((i) => i.label === 'WriteLn');
  const resolved = await within(s.connection.sendRequest(rpc.CompletionResolveRequest.type, item), 'completionItem/resolve');
  assert.equal(resolved.label, 'WriteLn');

  // hover on a builtin
  const hover = await within(s.connection.sendRequest(rpc.HoverRequest.type,
    { textDocument: { uri: doc.uri }, position: find(doc, 'WriteLn(Label') }), 'hover');
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /WriteLn/);

  // formatting fixes the line we broke
  const edits = await within(s.connection.sendRequest(rpc.DocumentFormattingRequest.type,
    { textDocument: { uri: doc.uri }, options: { tabSize: 2, insertSpaces: true } }), 'formatting');
  assert.ok(Array.isArray(edits) && edits.length > 0);
  const formatted = applyEdits(doc.text, edits);
  assert.ok(formatted.includes('  D := 2;'), formatted);
  assert.ok(!formatted.includes('D:=2'));

  // prepareRename + rename of the variable Count, everywhere
  const countAt = find(doc, 'Count', 0);
  const prepared = await within(s.connection.sendRequest(rpc.PrepareRenameRequest.type,
    { textDocument: { uri: doc.uri }, position: countAt }), 'prepareRename');
  assert.equal(prepared.placeholder, 'Count');
  const edit = await within(s.connection.sendRequest(rpc.RenameRequest.type,
    { textDocument: { uri: doc.uri }, position: countAt, newName: 'Total2' }), 'rename');
  assert.ok(edit.documentChanges, 'documentChanges, since VS Code declares them');
  const renameEdits = edit.documentChanges[0].edits;
  const occurrences = doc.text.match(/\bCount\b/g).length;
  assert.equal(renameEdits.length, occurrences);
  const renamed = applyEdits(doc.text, renameEdits);
  assert.ok(!/\bCount\b/.test(renamed));
  assert.equal(renamed.match(/\bTotal2\b/g).length, occurrences);
  // renaming a keyword is refused, not a crash: prepareRename answers null, and rename
  // fails with RequestFailed (-32803), never InternalError
  const beginAt = find(doc, 'BEGIN');
  const refusedPrepare = await within(s.connection.sendRequest(rpc.PrepareRenameRequest.type,
    { textDocument: { uri: doc.uri }, position: beginAt }), 'prepareRename on a keyword');
  assert.equal(refusedPrepare, null);
  await assert.rejects(s.connection.sendRequest(rpc.RenameRequest.type,
    { textDocument: { uri: doc.uri }, position: beginAt, newName: 'X' }),
  (err) => err.code === -32803);

  // Run / Show C / Show WebAssembly lenses, as the extension turns them into its own
  // commands, and the generated WebAssembly text they show
  const lenses = await within(s.connection.sendRequest(rpc.CodeLensRequest.type,
    { textDocument: { uri: doc.uri } }), 'codeLens');
  assert.deepEqual(lenses.map((l) => [l.command.title, clientLensCommand(l.command).command]),
    [['Run', 'craftls.runFile'], ['Show C', 'craftls.showGeneratedCode'],
     ['Show WebAssembly', 'craftls.showGeneratedCode']]);
  assert.deepEqual(lenses[2].command.arguments, [doc.uri, 'wat']);
  const wat = await within(s.connection.sendRequest('craftls/generatedCode',
    { textDocument: { uri: doc.uri }, target: 'wat' }), 'craftls/generatedCode');
  assert.equal(wat.language, 'wat');
  assert.match(wat.text, /\(func \$main \(export "main"\)/);
  assert.ok(wat.lineMap.length > 10);

  // craftls/health
  const health = await within(s.connection.sendRequest('craftls/health', {}), 'craftls/health');
  assert.ok(['healthy', 'degraded'].includes(health.status), JSON.stringify(health));
  assert.ok(health.services.syntax && health.services.lsp);
  const stats = await within(s.connection.sendRequest('craftls/stats', {}), 'craftls/stats');
  assert.ok(stats.latency['textDocument/completion'].count >= 1, JSON.stringify(stats.latency));
  assert.match(health.time, /^\d{4}-\d\d-\d\dT/);

  // pull client: the server must not also push diagnostics for the open document
  assert.deepEqual(s.seen.diagnostics.filter((p) => p.uri === doc.uri), []);
  // the server registered its file watchers dynamically, as VS Code allows
  assert.ok(s.seen.requests.some((r) => r.method === 'client/registerCapability'));
  await shutdown(s);
});

test('a client without pull diagnostics gets them pushed, with updates after a change', async (t) => {
  const caps = capabilities();
  delete caps.textDocument.diagnostic;
  const s = await startServer(t, caps);
  const doc = pascalDocument(s.dir);
  await s.connection.sendNotification(rpc.DidOpenTextDocumentNotification.type,
    { textDocument: { uri: doc.uri, languageId: 'pascal', version: 1, text: doc.text } });
  const waitFor = async (predicate, what) => {
    const started = Date.now();
    while (Date.now() - started < TIMEOUT) {
      const hit = s.seen.diagnostics.find(predicate);
      if (hit) {
        return hit;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out: ${what}`);
  };
  const first = await waitFor((p) => p.uri === doc.uri && p.diagnostics.some((d) => /Missing/.test(d.message)), 'pushed diagnostics');
  assert.equal(first.version, 1);
  const pos = find(doc, 'Missing');
  await s.connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: doc.uri, version: 2 },
    contentChanges: [{ range: { start: pos, end: { line: pos.line, character: pos.character + 'Missing'.length } }, text: 'Count' }],
  });
  await waitFor((p) => p.uri === doc.uri && p.version === 2 && !p.diagnostics.some((d) => /Missing/.test(d.message)), 'diagnostics after the fix');
  await shutdown(s);
});
