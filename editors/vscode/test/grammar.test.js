// The generated TextMate grammars, run with vscode-textmate + vscode-oniguruma (the engine
// VS Code uses) over every bundled sample, agree with the craftls lexer: keywords get a
// keyword scope, comments a comment scope, strings a string scope, and plain identifiers
// none of these. A test language of regex metacharacters proves the escaping.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const { EXTENSION, python, samples } = require('./env');

let onigLib;
function onig() {
  if (!onigLib) {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
    onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
  }
  return onigLib;
}

async function loadGrammar(file) {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const registry = new vsctm.Registry({
    onigLib: onig(),
    loadGrammar: async (scopeName) => (scopeName === raw.scopeName
      ? vsctm.parseRawGrammar(JSON.stringify(raw), file) : null),
  });
  const grammar = await registry.loadGrammar(raw.scopeName);
  assert.ok(grammar, `grammar ${file} loads`);
  return { grammar, raw };
}

/** scopes[line][utf16 column] = the scope stack at that character. */
function tokenize(grammar, text) {
  let ruleStack = vsctm.INITIAL;
  const scopes = [];
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, ruleStack);
    const perChar = new Array(line.length).fill(null);
    for (const token of result.tokens) {
      for (let i = token.startIndex; i < Math.min(token.endIndex, line.length); i++) {
        perChar[i] = token.scopes;
      }
    }
    scopes.push(perChar);
    ruleStack = result.ruleStack;
  }
  return scopes;
}

function lexed(pairs) {
  const args = [path.join(__dirname, 'lex_samples.py'), ...pairs.flat()];
  return JSON.parse(execFileSync(python(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

function expectation(token, doc) {
  const k = token.kind;
  if (k === 'comment' || k === 'err_comment') {
    return /^comment\./;
  }
  if (k === 'string' || k === 'err_string') {
    return /^string\./;
  }
  if (k.startsWith('kw_') || k === 'wordop') {
    const folded = doc.caseSensitive ? token.text : token.text.toUpperCase();
    const literals = doc.literals.map((l) => (doc.caseSensitive ? l : l.toUpperCase()));
    return literals.includes(folded) ? /^constant\.language\./ : /^keyword\./;
  }
  if (k === 'number') {
    return /^constant\.numeric\./;
  }
  return null;
}

function check(doc, scopes) {
  const problems = [];
  const counts = { keyword: 0, comment: 0, string: 0, ident: 0 };
  for (const token of doc.tokens) {
    const want = expectation(token, doc);
    for (let col = token.start; col < token.end; col++) {
      const stack = scopes[token.line][col] || [];
      const inner = stack.slice(1); // [0] is the grammar's own scope
      if (want) {
        if (!inner.some((s) => want.test(s))) {
          problems.push(`${doc.file}:${token.line + 1}:${col + 1} ${token.kind} ${JSON.stringify(token.text)} has ${inner.join(' ') || 'no scope'}, wants ${want}`);
          break;
        }
      } else if (token.kind === 'ident') {
        if (inner.some((s) => /^(keyword|comment|string)\./.test(s))) {
          problems.push(`${doc.file}:${token.line + 1}:${col + 1} identifier ${JSON.stringify(token.text)} got ${inner.join(' ')}`);
          break;
        }
      }
    }
    if (token.kind.startsWith('kw_')) { counts.keyword++; }
    if (token.kind === 'comment') { counts.comment++; }
    if (token.kind === 'string') { counts.string++; }
    if (token.kind === 'ident') { counts.ident++; }
  }
  return { problems, counts };
}

test('every bundled sample: grammar scopes agree with the craftls lexer', async () => {
  const all = samples();
  assert.ok(all.length >= 10, 'samples found');
  const docs = lexed(all.map((s) => [s.id, s.file]));
  const grammars = {};
  const totals = { keyword: 0, comment: 0, string: 0, ident: 0 };
  const problems = [];
  for (const doc of docs) {
    grammars[doc.id] ??= await loadGrammar(path.join(EXTENSION, 'syntaxes', `${doc.id}.tmLanguage.json`));
    const result = check(doc, tokenize(grammars[doc.id].grammar, doc.text));
    problems.push(...result.problems);
    for (const key of Object.keys(totals)) { totals[key] += result.counts[key]; }
  }
  assert.deepEqual(problems, []);
  assert.ok(totals.keyword > 200 && totals.comment > 20 && totals.string > 20 && totals.ident > 200,
    `enough of each kind checked: ${JSON.stringify(totals)}`);
});

test('case-insensitive languages use (?i); spot checks of scopes', async () => {
  const { grammar, raw } = await loadGrammar(path.join(EXTENSION, 'syntaxes', 'basic.tmLanguage.json'));
  const keywordRule = raw.repository.words.patterns.find((p) => p.name === 'keyword.control.basic');
  assert.ok(keywordRule.match.startsWith('(?i)'));
  const scopes = tokenize(grammar, 'if x then rem a comment\nPRINT "say ""hi""" \' done');
  assert.ok(scopes[0][0].some((s) => s === 'keyword.control.basic'));
  assert.ok(scopes[0][15].some((s) => s === 'comment.line.basic'));
  assert.ok(scopes[1][0].some((s) => s === 'support.function.builtin.basic'));
  assert.ok(scopes[1][12].some((s) => s === 'string.quoted.basic'));
  assert.ok(scopes[1][20].some((s) => s === 'comment.line.basic'));
  const teach = await loadGrammar(path.join(EXTENSION, 'syntaxes', 'teachlang.tmLanguage.json'));
  assert.ok(!teach.raw.repository.words.patterns[0].match.includes('(?i)'));
  const esp = await loadGrammar(path.join(EXTENSION, 'syntaxes', 'espanol.tmLanguage.json'));
  const line = tokenize(esp.grammar, 'función funciónx sino_si sinob')[0];
  assert.ok(line[0].some((s) => s.startsWith('keyword.')), 'función is a keyword');
  assert.ok(!line[8].some((s) => s.startsWith('keyword.')), 'funciónx is not');
  assert.ok(line[17].some((s) => s.startsWith('keyword.')), 'sino_si is a keyword');
  assert.ok(!line[25].some((s) => s.startsWith('keyword.')), 'sinob is not');
});

test('symbolic keywords and metacharacter operators are escaped', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'craftls-grammar-'));
  const fixture = path.join(__dirname, 'fixtures', 'symbolic.yaml');
  execFileSync(python(), ['-m', 'craftls', 'editor', 'vscode', fixture, '--out', tmp], { encoding: 'utf8' });
  const file = path.join(tmp, 'syntaxes', 'symbolic.tmLanguage.json');
  const { grammar, raw } = await loadGrammar(file);
  // every regex compiles in Oniguruma (the scanner throws on a bad pattern)
  await onig();
  const regexes = [];
  const walk = (node) => {
    if (node && typeof node === 'object') {
      for (const key of ['match', 'begin', 'end']) {
        if (typeof node[key] === 'string') { regexes.push(node[key]); }
      }
      Object.values(node).forEach(walk);
    }
  };
  walk(raw.repository);
  for (const re of regexes) {
    assert.doesNotThrow(() => new oniguruma.OnigScanner([re]), re);
  }
  const [doc] = lexed([[fixture, path.join(__dirname, 'fixtures', 'sample.sym')]]);
  const result = check(doc, tokenize(grammar, doc.text));
  assert.deepEqual(result.problems, []);
  for (const word of ['?', '|:', '<-', '$let', '&&', '||', '*loop']) {
    assert.ok(doc.tokens.some((t) => t.text === word && t.kind.startsWith('kw_')), `${word} lexed as a keyword`);
  }
  // the symbols alternation matches each symbol exactly
  const scanner = new oniguruma.OnigScanner([raw.repository.symbols.match]);
  for (const sym of ['\\', '^', '+', '==', '#', '/', '?', '|:', '*loop']) {
    const m = scanner.findNextMatchSync(sym, 0);
    assert.ok(m && m.captureIndices[0].start === 0 && m.captureIndices[0].end === sym.length, `symbol ${sym}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});
