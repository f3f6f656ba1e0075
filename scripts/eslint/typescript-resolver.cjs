// An eslint-module-utils resolver (interface version 2) that resolves imports exactly as the
// TypeScript compiler does with the project's tsconfig.json, so the `@wholesail/*` path aliases
// reach their libraries. Used by eslint-plugin-boundaries to tell which layer an import lands in.
'use strict';
const { isBuiltin } = require('node:module');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..', '..');
let compiled;

function project() {
  if (!compiled) {
    const { config } = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
    compiled = { options, cache: ts.createModuleResolutionCache(root, (name) => name, options) };
  }
  return compiled;
}

exports.interfaceVersion = 2;

exports.resolve = (source, file) => {
  if (isBuiltin(source)) return { found: true, path: null };
  const { options, cache } = project();
  const { resolvedModule } = ts.resolveModuleName(source, file, options, ts.sys, cache);
  return resolvedModule ? { found: true, path: resolvedModule.resolvedFileName } : { found: false };
};
