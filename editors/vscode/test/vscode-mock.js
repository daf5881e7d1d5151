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
};

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
  },
  __changeConfig(values) {
    const changed = Object.keys(values);
    Object.assign(state.config, values);
    const event = { affectsConfiguration: (section) => changed.some((k) => k === section || k.startsWith(`${section}.`)) };
    for (const listener of state.configListeners) { listener(event); }
  },
  Disposable,
  LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
  Uri: { file: (fsPath) => ({ fsPath, scheme: 'file', toString: () => `file://${fsPath}` }) },
  window: {
    createOutputChannel,
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
