# The project's configuration of Jupyter Notebook 6, read when `npm start`
# serves the classic UI (scripts/start.js puts this folder on
# JUPYTER_CONFIG_PATH; nothing is installed into the user's Jupyter folders).
#
# It serves two folders as notebook extensions (/nbextensions/...):
#   jupyter/nbextensions/           the diffabm-plotly extension, enabled in
#                                   nbconfig/notebook.json beside this file;
#   node_modules/plotly.js-dist-min plotly.js itself, as installed by npm.
import os

_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

c.NotebookApp.extra_nbextensions_path = [  # noqa: F821 (c is Jupyter's config object)
    os.path.join(_root, "jupyter", "nbextensions"),
    os.path.join(_root, "node_modules", "plotly.js-dist-min"),
]
