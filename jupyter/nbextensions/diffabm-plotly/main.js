// Notebook 6 extension: shows the course's figures as interactive Plotly plots.
//
// Notebook 6 has no renderer for `application/vnd.plotly.v1+json`, so it shows
// the PNG that every figure output also carries. This extension registers one,
// ranked before image/png, so the plot is drawn with plotly.js (served from
// node_modules/plotly.js-dist-min by the project's Jupyter configuration in
// jupyter/config; nothing comes from the network). The notebook file is not
// changed: the PNG stays in it for GitHub and nbconvert.
//
// Outputs saved in the notebook are drawn too, before anything runs: Notebook 6
// loads extensions while it loads the notebook, so if the notebook's outputs
// are already on the page when this runs, their PNGs are replaced in place.
// The renderer is marked safe: plotly.js draws data and escapes its labels,
// so the figures of a notebook that is not trusted are interactive as well.
define(['jquery', 'base/js/namespace', 'notebook/js/outputarea', './figure'], function ($, Jupyter, outputarea, figure) {
  'use strict';

  var OutputArea = outputarea.OutputArea;
  var MIME = figure.MIME;
  var plotly = null;

  function loadPlotly() {
    plotly = plotly || new Promise(function (resolve, reject) {
      // plotly.js 3 defines no AMD module: it sets window.Plotly.
      requirejs(['nbextensions/plotly.min'], function (mod) {
        var Plotly = mod && mod.newPlot ? mod : window.Plotly;
        if (Plotly && Plotly.newPlot) resolve(Plotly);
        else reject(new Error('nbextensions/plotly.min.js did not define Plotly'));
      }, reject);
    });
    return plotly;
  }

  // Draws the figure into a new output subarea; if plotly.js cannot be
  // loaded or cannot draw it, one line there says why.
  function appendPlotly(spec, md, element) {
    var subarea = this.create_output_subarea(md, 'output_plotly', MIME);
    var div = document.createElement('div');
    subarea.append(div);
    element.append(subarea);
    loadPlotly()
      .then(function (Plotly) {
        return figure.draw(Plotly, div, spec);
      })
      .catch(function (err) {
        console.error('diffabm-plotly: could not draw the figure', err);
        div.textContent = 'The interactive figure could not be drawn (' + err + ').';
      });
    return subarea;
  }

  // Outputs drawn before the renderer was registered: replace each PNG
  // subarea of a figure output with the plot, in place (the outputs' JSON and
  // the notebook's saved state are untouched).
  function redrawExisting() {
    var cells = Jupyter.notebook ? Jupyter.notebook.get_cells() : [];
    cells.forEach(function (cell) {
      var area = cell.output_area;
      if (!area || !area.outputs) return;
      var blocks = area.element.children('.output_area');
      if (blocks.length !== area.outputs.length) return; // merged streams: leave the PNGs
      area.outputs.forEach(function (output, i) {
        if (!output.data || output.data[MIME] === undefined) return;
        var block = blocks.eq(i);
        var old = block.children('.output_subarea');
        if (old.hasClass('output_plotly')) return;
        var holder = $('<div/>');
        appendPlotly.call(area, output.data[MIME], output.metadata || {}, holder);
        old.replaceWith(holder.children());
      });
    });
  }

  function load_ipython_extension() {
    if (OutputArea.append_map[MIME]) return; // registered already
    OutputArea.prototype.register_mime_type(MIME, appendPlotly, { safe: true, index: 0 });
    loadPlotly();
    redrawExisting();
  }

  return { load_ipython_extension: load_ipython_extension };
});
