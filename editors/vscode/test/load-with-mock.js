// Makes `require('vscode')` return the mock, then loads the compiled extension modules.
'use strict';
const Module = require('module');
const path = require('path');

const mockPath = path.join(__dirname, 'vscode-mock.js');
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  if (request === 'vscode') {
    return mockPath;
  }
  return original.call(this, request, ...rest);
};

module.exports = {
  vscode: require(mockPath),
  out: (name) => require(path.join(__dirname, '..', 'out', 'src', name)),
};
