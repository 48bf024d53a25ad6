// `npm run html`: the course as static web pages with interactive figures.
//
//   node scripts/html.js [--out-dir DIR] [--skip-setup] [NOTEBOOK...]
//
// Writes, into DIR (default build/html/, git-ignored):
//   <notebook name>.html  one page per notebook, from its saved outputs (nothing
//                         is executed): nbconvert with the project's template
//                         (jupyter/nbconvert/templates/diffabm, via scripts/nbhtml.py);
//   index.html            the chapters in course order, with their titles;
//   plotly.min.js         plotly.js from node_modules, and figure.js, the figure
//   figure.js             renderer Notebook 6 uses too; each page loads both once
//                         and draws every figure from its saved Plotly JSON (hover,
//                         zoom), keeping the PNG only if they cannot run.
// The pages need no network: open build/html/index.html from disk, or serve
// the folder. Formulas are typeset by MathJax from where nbconvert finds it
// (Debian's nbconvert uses its local copy in /usr/share/javascript/mathjax).
//
// Without NOTEBOOK, every notebook in notebooks/. The pages are built in a new
// folder beside DIR that replaces DIR only once all of them are written, so a
// failure leaves the previous export as it was. Before the export it installs
// what is missing (scripts/nbenv.js: npm packages, and nbconvert by apt as
// root on Debian); --skip-setup installs nothing.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, SetupError, prepare, pythonEnv, reportSetupErrors } = require('./nbenv');
const { notebooksIn, parseCommandLine, readNotebook } = require('./common');

const USAGE = 'usage: node scripts/html.js [--out-dir DIR] [--skip-setup] [NOTEBOOK...]';
const ASSETS = [
  { from: path.join(ROOT, 'node_modules', 'plotly.js-dist-min', 'plotly.min.js'), to: 'plotly.min.js' },
  { from: path.join(ROOT, 'jupyter', 'nbextensions', 'diffabm-plotly', 'figure.js'), to: 'figure.js' },
];

function parseArgs(argv) {
  const parsed = parseCommandLine(
    argv,
    {
      'out-dir': { type: 'string', default: path.join(ROOT, 'build', 'html') },
      'skip-setup': { type: 'boolean', default: false },
    },
    USAGE,
  );
  const files = parsed.positionals.length
    ? parsed.positionals.map((p) => path.resolve(p))
    : notebooksIn(path.join(ROOT, 'notebooks'));
  for (const f of files) if (!f.endsWith('.ipynb') || !fs.existsSync(f)) throw new SetupError(`not a notebook file: ${f}`);
  if (files.length === 0) throw new SetupError('no notebooks to export');
  return { outDir: path.resolve(parsed.values['out-dir']), skipSetup: parsed.values['skip-setup'], files };
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The notebook's title: the first Markdown heading, else its file name.
function titleOf(nb, file) {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const source = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source);
    const m = /^#{1,6}\s+(.+)$/m.exec(source);
    if (m) return m[1].trim();
  }
  return path.basename(file, '.ipynb');
}

function indexPage(chapters) {
  const items = chapters
    .map((c) => `  <li><a href="${encodeURI(c.page)}">${escapeHtml(c.title)}</a> <small>(${escapeHtml(c.name)})</small></li>`)
    .join('\n');
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>diffabm: differentiable agent-based models</title>
<style>body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.5}small{color:#666}</style>
</head>
<body>
<h1>Differentiable agent-based models</h1>
<p>The course's notebooks in order, with the outputs they were saved with. Every figure can be hovered and zoomed.</p>
<ol>
${items}
</ol>
</body>
</html>
`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  // Every notebook is read first: a damaged one stops the export before anything is written.
  const chapters = opts.files.map((file) => {
    const nb = readNotebook(file);
    const name = path.basename(file, '.ipynb');
    return { file, name, page: `${name}.html`, title: titleOf(nb, file) };
  });
  const { python } = prepare({ use: 'export', skipInstall: opts.skipSetup });
  for (const a of ASSETS) if (!fs.existsSync(a.from)) throw new SetupError(`${a.from} is missing; run \`npm ci\``);

  fs.mkdirSync(path.dirname(opts.outDir), { recursive: true });
  const building = fs.mkdtempSync(`${opts.outDir}.building-`);
  fs.chmodSync(building, 0o755);
  try {
    for (const a of ASSETS) fs.copyFileSync(a.from, path.join(building, a.to));
    const r = spawnSync(
      python,
      [
        path.join(__dirname, 'nbhtml.py'),
        '--out-dir', building,
        ...ASSETS.flatMap((a) => ['--asset', a.to]),
        ...chapters.map((c) => c.file),
      ],
      { stdio: 'inherit', env: pythonEnv() },
    );
    if (r.status !== 0) throw new SetupError(`nbconvert could not export every notebook (scripts/nbhtml.py exit ${r.status}); see above`);
    fs.writeFileSync(path.join(building, 'index.html'), indexPage(chapters));
    // Swap the finished folder in.
    const old = `${opts.outDir}.old-${process.pid}`;
    if (fs.existsSync(opts.outDir)) fs.renameSync(opts.outDir, old);
    fs.renameSync(building, opts.outDir);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
  const rel = path.relative(process.cwd(), opts.outDir) || '.';
  console.log(`html: ${chapters.length} page(s) and index.html written to ${rel}; open ${path.join(rel, 'index.html')}`);
}

try {
  main();
} catch (err) {
  reportSetupErrors('html', err);
}
