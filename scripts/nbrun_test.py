"""Tests of the comparison rules of scripts/nbrun.py, on notebooks built here.

    python3 scripts/nbrun_test.py      (the Python that has nbformat, e.g. /usr/bin/python3)

They need nbformat and nbclient (imported by nbrun.py) but start no kernel.
"""
import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import nbformat  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

import nbrun  # noqa: E402

PLOTLY = {"application/vnd.plotly.v1+json": {"data": [], "layout": {}}}


def stdout(text):
    return new_output("stream", name="stdout", text=text)


def figure(png=True):
    data = dict(PLOTLY)
    if png:
        data["image/png"] = "iVBORw0KGgo="
    return new_output("display_data", data=data)


def notebook(*cells):
    return new_notebook(cells=list(cells))


def code(outputs, tags=None):
    cell = new_code_cell("x", outputs=outputs)
    if tags is not None:
        cell.metadata["tags"] = tags
    return cell


class ChangedOutputs(unittest.TestCase):
    def test_equal_outputs_are_not_reported(self):
        a = notebook(new_markdown_cell("m"), code([stdout("1\n")]))
        b = notebook(new_markdown_cell("m"), code([stdout("1\n")]))
        self.assertEqual(nbrun.changed_outputs(a, b), [])

    def test_a_changed_output_is_reported_by_its_cell_index(self):
        a = notebook(new_markdown_cell("m"), code([stdout("1\n")]), code([stdout("2\n")]))
        b = notebook(new_markdown_cell("m"), code([stdout("1\n")]), code([stdout("3\n")]))
        self.assertEqual(nbrun.changed_outputs(a, b), [2])

    def test_a_volatile_cell_is_not_compared(self):
        a = notebook(code([stdout("12 ms\n")], tags=["volatile"]), code([stdout("2\n")]))
        b = notebook(code([stdout("15 ms\n")], tags=["volatile"]), code([stdout("2\n")]))
        self.assertEqual(nbrun.changed_outputs(a, b), [])

    def test_other_tags_do_not_make_a_cell_volatile(self):
        a = notebook(code([stdout("12 ms\n")], tags=["slow"]))
        b = notebook(code([stdout("15 ms\n")], tags=["slow"]))
        self.assertEqual(nbrun.changed_outputs(a, b), [0])

    def test_a_different_number_of_code_cells_reports_every_cell(self):
        a = notebook(code([stdout("1\n")]))
        b = notebook(code([stdout("1\n")]), code([]))
        self.assertEqual(nbrun.changed_outputs(a, b), [0, 1])


class Problems(unittest.TestCase):
    def test_a_volatile_figure_without_png_is_still_a_problem(self):
        nb = notebook(code([figure(png=False)], tags=["volatile"]), code([figure()]))
        problems = nbrun.find_problems(nb)
        self.assertEqual([i for i, _ in problems], [0])
        self.assertIn("image/png", problems[0][1])

    def test_a_volatile_error_is_still_a_problem(self):
        error = new_output("error", ename="Error", evalue="boom", traceback=[])
        problems = nbrun.find_problems(notebook(code([error], tags=["volatile"])))
        self.assertEqual(problems, [(0, "Error: boom")])


class Differences(unittest.TestCase):
    def test_the_changed_part_is_named(self):
        old = [figure()]
        new = [figure()]
        new[0]["data"]["image/png"] = "AAAA"
        self.assertEqual(nbrun.describe_difference(old, new), "image/png differs")
        self.assertEqual(nbrun.describe_difference([], [stdout("w")]), "stdout is new")
        self.assertEqual(nbrun.describe_difference([stdout("w")], []), "stdout is gone")

    def test_a_bare_error_name_is_recognised_on_stderr(self):
        err = new_output("stream", name="stderr", text="evalmachine:2\nthrow x;\n^\n\nError: boom\n    at f (x:1)\n")
        self.assertEqual(nbrun.stderr_error(code([err])), "Error: boom")
        err = new_output("stream", name="stderr", text="Uncaught RangeError: too far\n")
        self.assertEqual(nbrun.stderr_error(code([err])), "RangeError: too far")


if __name__ == "__main__":
    nbformat  # imported above so that a missing Jupyter fails loudly here
    unittest.main(verbosity=1)
