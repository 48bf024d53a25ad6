// Draws one Plotly figure, the `application/vnd.plotly.v1+json` output of a
// course notebook ({ data, layout }), as an interactive plot: hover shows the
// values under the pointer, a dragged box zooms, a double click resets.
//
// One renderer for every place that shows the course outside JupyterLab: the
// Notebook 6 extension beside this file (main.js) and the static HTML pages of
// `npm run html` (scripts/html.js). It loads as an AMD module where RequireJS
// is present (Notebook 6), else as the global `diffabmFigure`.
(function (root, factory) {
  if (typeof define === 'function' && define.amd) define([], factory);
  else root.diffabmFigure = factory();
})(this, function () {
  'use strict';

  var MIME = 'application/vnd.plotly.v1+json';

  // Plotly's mode bar without its cloud and logo buttons; no scroll zoom, so
  // that the wheel scrolls the page as in the rest of the notebook.
  var CONFIG = { displaylogo: false, scrollZoom: false, responsive: false };

  // Draws `spec` into `element` with `Plotly`; resolves once it is drawn.
  // The spec is copied, so the notebook's output stays as it was saved.
  function draw(Plotly, element, spec) {
    var copy = JSON.parse(JSON.stringify(spec || {}));
    var config = {};
    var key;
    for (key in CONFIG) config[key] = CONFIG[key];
    for (key in copy.config || {}) config[key] = copy.config[key];
    element.classList.add('diffabm-figure');
    return Plotly.newPlot(element, copy.data || [], copy.layout || {}, config);
  }

  return { MIME: MIME, CONFIG: CONFIG, draw: draw };
});
