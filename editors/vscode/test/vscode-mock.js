// A small stand-in for the `vscode` module: just what the extension logic uses, with
// everything it does recorded for the assertions.
'use strict';

const state = {
  config: {},
  commands: new Map(),
  channels: [],
  statusItems: [],
  messages: [],
  configListeners: [],
  workspaceFolders: [],
  terminals: [],
  contentProviders: new Map(),
  textDocuments: [],
  activeTextEditor: undefined,
  shown: [],
};

class EventEmitter {
  constructor() { this.listeners = []; this.event = (listener) => { this.listeners.push(listener); return new Disposable(); }; }
  fire(value) { for (const listener of this.listeners) { listener(value); } }
  dispose() { this.listeners = []; }
}

function uri(scheme, path) {
  return { scheme, path, fsPath: path, toString: () => `${scheme}://${path}` };
}

/** A text document as the extension sees it (tests put it in __state.textDocuments). */
function textDocument(fsPath, text, dirty = false) {
  return { uri: uri('file', fsPath), isDirty: dirty, saved: 0, getText: () => text,
           save() { this.saved += 1; this.isDirty = false; return Promise.resolve(true); } };
}

class Disposable {
  constructor(fn) { this.fn = fn; }
  dispose() { if (this.fn) { this.fn(); this.fn = undefined; } }
}

function createOutputChannel(name) {
  const channel = {
    name, lines: [], shown: 0, disposed: false,
    append(text) { this.lines.push(text); },
    appendLine(text) { this.lines.push(text); },
    clear() { this.lines = []; },
    show() { this.shown += 1; },
    hide() {},
    dispose() { this.disposed = true; },
    text() { return this.lines.join('\n'); },
  };
  state.channels.push(channel);
  return channel;
}

function message(kind) {
  return (text) => { state.messages.push({ kind, text }); return Promise.resolve(undefined); };
}

const vscode = {
  __state: state,
  __reset() {
    state.config = {};
    state.commands.clear();
    state.channels.length = 0;
    state.statusItems.length = 0;
    state.messages.length = 0;
    state.configListeners.length = 0;
    state.workspaceFolders = [];
    state.terminals.length = 0;
    state.contentProviders.clear();
    state.textDocuments.length = 0;
    state.activeTextEditor = undefined;
    state.shown.length = 0;
  },
  __textDocument: textDocument,
  __changeConfig(values) {
    const changed = Object.keys(values);
    Object.assign(state.config, values);
    const event = { affectsConfiguration: (section) => changed.some((k) => k === section || k.startsWith(`${section}.`)) };
    for (const listener of state.configListeners) { listener(event); }
  },
  Disposable,
  EventEmitter,
  ViewColumn: { Beside: -2 },
  LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
  Uri: {
    file: (fsPath) => uri('file', fsPath),
    parse: (text) => { const at = text.indexOf(':'); return uri(text.slice(0, at), text.slice(at + 1)); },
  },
  window: {
    createOutputChannel,
    get activeTextEditor() { return state.activeTextEditor; },
    createTerminal(options) {
      const terminal = { options, sent: [], shown: 0, show() { this.shown += 1; }, sendText(text) { this.sent.push(text); } };
      state.terminals.push(terminal);
      return terminal;
    },
    showTextDocument(doc, options) { state.shown.push({ doc, options }); return Promise.resolve({ document: doc }); },
    showErrorMessage: message('error'),
    showWarningMessage: message('warning'),
    showInformationMessage: message('info'),
  },
  languages: {
    createLanguageStatusItem(id, selector) {
      const item = { id, selector, text: '', detail: '', severity: 0, busy: false, name: undefined,
                     command: undefined, disposed: false, dispose() { this.disposed = true; } };
      state.statusItems.push(item);
      return item;
    },
  },
  commands: {
    registerCommand(id, fn) {
      state.commands.set(id, fn);
      return new Disposable(() => state.commands.delete(id));
    },
    executeCommand(id, ...args) { return Promise.resolve(state.commands.get(id)(...args)); },
  },
  workspace: {
    get textDocuments() { return state.textDocuments; },
    registerTextDocumentContentProvider(scheme, provider) {
      state.contentProviders.set(scheme, provider);
      return new Disposable(() => state.contentProviders.delete(scheme));
    },
    openTextDocument(target) {
      const provider = state.contentProviders.get(target.scheme);
      const text = provider ? provider.provideTextDocumentContent(target) : '';
      return Promise.resolve({ uri: target, getText: () => text, isDirty: false });
    },
    get workspaceFolders() { return state.workspaceFolders.map((p) => ({ uri: vscode.Uri.file(p), name: p })); },
    getConfiguration(section) {
      return {
        get(key, fallback) {
          const full = section ? `${section}.${key}` : key;
          return Object.prototype.hasOwnProperty.call(state.config, full) ? state.config[full] : fallback;
        },
      };
    },
    onDidChangeConfiguration(listener) {
      state.configListeners.push(listener);
      return new Disposable(() => {
        const i = state.configListeners.indexOf(listener);
        if (i >= 0) { state.configListeners.splice(i, 1); }
      });
    },
  },
};

module.exports = vscode;
