"""Export notebooks to static HTML pages; helper of scripts/html.js.

    nbhtml.py --out-dir DIR [--mathjax-url URL] --asset SRC... -- NOTEBOOK...

Each NOTEBOOK becomes DIR/<its name>.html through nbconvert's HTMLExporter and
the project's template (jupyter/nbconvert/templates/diffabm). The outputs
saved in the notebook are used as they are; nothing is executed. Every page
loads the files named by --asset (paths relative to DIR: plotly.js and the
figure renderer), which draw its figures. A page is written to a temporary
file and renamed into place, so a failed export leaves no half-written page.

Prints one line per page, and the reason for each notebook that could not be
exported; the exit status is 1 if any could not.
"""
import argparse
import os
import re
import sys

import nbformat
from nbconvert import HTMLExporter

from nbfiles import write_atomic

TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "jupyter", "nbconvert", "templates")


SVG_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?")


def strip_svg_prologues(nb):
    """Drops the XML declaration and doctype in front of SVG outputs (the
    Graphviz drawings): nbconvert's HTML cleaner refuses a string that declares
    its encoding. The in-memory copy changes; the notebook file does not."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            svg = output.get("data", {}).get("image/svg+xml")
            if isinstance(svg, str):
                output["data"]["image/svg+xml"] = SVG_PROLOGUE.sub("", svg, count=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--mathjax-url")
    parser.add_argument("--asset", action="append", default=[])
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()

    exporter = HTMLExporter(template_name="diffabm", extra_template_basedirs=[TEMPLATES])
    if args.mathjax_url:
        exporter.mathjax_url = args.mathjax_url
    failed = 0
    for path in args.notebooks:
        name = os.path.splitext(os.path.basename(path))[0]
        try:
            with open(path, encoding="utf-8") as f:
                nb = nbformat.read(f, as_version=4)
        except Exception as err:  # not JSON, not a notebook, unreadable
            print("FAIL %s: not a readable notebook (%s: %s); restore it with `git checkout -- %s`"
                  % (path, type(err).__name__, str(err).splitlines()[0] if str(err) else "", path), flush=True)
            failed += 1
            continue
        strip_svg_prologues(nb)
        body, _ = exporter.from_notebook_node(
            nb, resources={"metadata": {"name": name}, "diffabm_assets": args.asset})
        out = os.path.join(args.out_dir, name + ".html")
        write_atomic(out, body)
        print("ok   %s -> %s" % (path, out), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
