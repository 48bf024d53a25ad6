// Makes the compiled library importable by its package name, `diffabm`.
//
// The notebooks (compiled by tslab with Node10 resolution) and plain Node
// scripts both resolve `diffabm` through node_modules, so this links
// node_modules/diffabm to the repository root, whose package.json points at
// dist/. It runs after every build and is safe to run again.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const modules = path.join(root, 'node_modules');
const link = path.join(modules, 'diffabm');

fs.mkdirSync(modules, { recursive: true });
let current = null;
try {
  current = fs.readlinkSync(link);
} catch (e) {
  if (e.code !== 'ENOENT' && e.code !== 'EINVAL') throw e;
  if (e.code === 'EINVAL') fs.rmSync(link, { recursive: true, force: true });
}
if (current !== '..') {
  if (current !== null) fs.unlinkSync(link);
  fs.symlinkSync('..', link, 'dir');
}
