// Where the tests find Python with craftls, and the repository's samples.
'use strict';
const fs = require('fs');
const path = require('path');

const EXTENSION = path.resolve(__dirname, '..');
const REPO = path.resolve(EXTENSION, '..', '..');

function python() {
  if (process.env.CRAFTLS_PYTHON) {
    return process.env.CRAFTLS_PYTHON;
  }
  const venv = path.join(REPO, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

function samples() {
  const pkg = require(path.join(EXTENSION, 'package.json'));
  const out = [];
  for (const lang of pkg.contributes.languages) {
    const dir = path.join(REPO, 'examples', lang.id);
    for (const name of fs.readdirSync(dir).sort()) {
      if (lang.extensions.includes(path.extname(name))) {
        out.push({ id: lang.id, file: path.join(dir, name) });
      }
    }
  }
  return out;
}

module.exports = { EXTENSION, REPO, python, samples };
