"""Execute Jupyter notebooks headless with nbclient; helper of scripts/notebooks.js.

    nbrun.py --mode run|check [--out-dir DIR] [--kernel NAME]
             [--cell-timeout S] [--deadline EPOCH] NOTEBOOK

It runs one notebook (scripts/notebooks.js starts it once per notebook, and
stops starting new ones after Ctrl-C), in a fresh kernel whose working
directory is the notebook's folder, through nbclient's public API: the kernel
is shut down at the end, after an error, and on SIGINT or SIGTERM. (nbval,
which compares outputs the same way, is not available from Debian, so the
comparison below is this file's own, tested by nbrun_test.py.) A notebook fails when a cell raises (or times out), when any cell has
an error output, or when a figure output (Plotly MIME bundle) has no static
image/png next to it.

  run    write the executed notebook back in place, but only if it passed
         (and only if its contents changed), to a temporary file renamed into
         place; a failing notebook, or one whose kernel dies, is untouched.
  check  write the executed copy to --out-dir (renamed into place as well);
         never touch the original. The
         outputs of every code cell must also equal the committed ones (the
         notebooks are seeded), except in cells tagged "volatile".

Volatile cells: a code cell whose metadata has "tags": ["volatile"] (timings,
anything that varies from run to run) is executed like any other, must not
raise, and its figures must have their PNG; only the comparison of its outputs
with the committed notebook is skipped.

The execution time is printed when the notebook finishes.

Exit status: 0 when every notebook passed, 1 otherwise.
"""
import sys

try:  # a Ctrl-C while the (slow) imports run should just stop quietly
    import argparse
    import os
    import re
    import time

    import nbformat
    from nbclient import NotebookClient
    from nbfiles import write_atomic
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except KeyboardInterrupt:
    sys.exit(130)

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PNG_MIME = "image/png"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Cell metadata that only records timing and would make re-runs differ.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime")


def log(msg):
    print(msg, flush=True)


def first_line(cell):
    for line in cell.get("source", "").splitlines():
        if line.strip():
            text = line.strip()
            return text if len(text) <= 80 else text[:77] + "..."
    return "(empty)"


def describe_cell(nb, index):
    cell = nb.cells[index]
    return 'cell %d of %d (index %d): "%s"' % (index + 1, len(nb.cells), index, first_line(cell))


def error_summary(output):
    """'Name: message' of an error output, without ANSI colour codes."""
    name = ANSI.sub("", output.get("ename", "") or "Error")
    value = ANSI.sub("", output.get("evalue", "") or "").strip()
    return "%s: %s" % (name, value) if value else name


ERROR_LINE = re.compile(r"^(?:Uncaught )?((?:[A-Za-z_$][\w$]*)?(?:Error|Exception))(?:: (.*))?$")
TS_DIAGNOSTIC = re.compile(r"^\d+:\d+ - ")


def stderr_error(cell):
    """The error in a failed cell's stderr: 'Name: message', a TypeScript
    diagnostic, or the last stderr line."""
    text = "".join(
        o.get("text", "") for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )
    lines = [ANSI.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        match = ERROR_LINE.match(line)
        if match:
            return "%s: %s" % match.groups() if match.group(2) else match.group(1)
    diagnostics = [line for line in lines if TS_DIAGNOSTIC.match(line)]
    if diagnostics:
        more = " (+%d more)" % (len(diagnostics) - 1) if len(diagnostics) > 1 else ""
        return "TypeScript error %s%s" % (diagnostics[0], more)
    return lines[-1] if lines else "error (no message on stderr)"


def find_problems(nb):
    """Error outputs and figures without a PNG, as (cell index, message) pairs."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                problems.append((index, error_summary(output)))
            elif kind in ("display_data", "execute_result", "update_display_data"):
                data = output.get("data", {})
                if PLOTLY_MIME in data and PNG_MIME not in data:
                    problems.append((index, "figure output has %s but no %s" % (PLOTLY_MIME, PNG_MIME)))
    return problems


VOLATILE_TAG = "volatile"


def is_volatile(cell):
    """True for a cell tagged "volatile": its outputs may vary between runs."""
    tags = cell.get("metadata", {}).get("tags", [])
    return isinstance(tags, list) and VOLATILE_TAG in tags


def changed_outputs(before, after):
    """Indices of code cells whose outputs differ between two notebooks.

    Cells tagged "volatile" (in either notebook) are not compared. If the
    notebooks do not have the same number of code cells, every code cell counts
    as changed."""
    old = [c for c in before.cells if c.cell_type == "code"]
    new = [(i, c) for i, c in enumerate(after.cells) if c.cell_type == "code"]
    if len(old) != len(new):
        return [i for i, _ in new]
    return [i for (i, c), o in zip(new, old)
            if not (is_volatile(c) or is_volatile(o)) and c.get("outputs", []) != o.get("outputs", [])]


def output_parts(outputs):
    """The parts of a cell's outputs by name: 'stdout', 'stderr', 'error' or a MIME type."""
    parts = {}
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            parts.setdefault(output.get("name", "stream"), []).append(output.get("text", ""))
        elif kind == "error":
            parts.setdefault("error", []).append(output.get("evalue", ""))
        else:
            for mime, value in output.get("data", {}).items():
                parts.setdefault(mime, []).append(value)
    return parts


def describe_difference(before, after):
    """Which parts of a cell's outputs changed, e.g. 'image/png differs'."""
    old, new = output_parts(before), output_parts(after)
    names = sorted(set(old) | set(new))
    changed = [n for n in names if old.get(n) != new.get(n)]
    if not changed:
        return "output order or metadata differs"
    return ", ".join("%s %s" % (n, "differs" if n in old and n in new else ("is new" if n in new else "is gone"))
                     for n in changed)


def strip_volatile(nb):
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)


def where(nb, index):
    return describe_cell(nb, index) if index is not None else "a cell"


def execute(args, path, nb):
    """Executes nb in place with nbclient's public API (NotebookClient.execute,
    which starts the kernel, and shuts it down at the end, on an error, and on
    SIGINT or SIGTERM). Returns None on success, else a failure message that
    names the cell, the cause and the fix."""
    cwd = os.path.dirname(os.path.abspath(path))

    def timeout_for(_cell):
        # Per-cell limit, shortened so the whole run stays within the deadline.
        return max(1, int(min(args.cell_timeout, args.deadline - time.time())))

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout_func=timeout_for,
        startup_timeout=180,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": cwd}},
    )
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    client.on_cell_start = on_cell_start
    try:
        client.execute(cwd=cwd)
        return None
    except CellTimeoutError:
        if time.time() >= args.deadline - 1:
            return "%s was stopped: the overall time limit was reached (raise it with --timeout)" % where(nb, current["index"])
        return "%s timed out (limit %d s per cell; raise it with --cell-timeout)" % (where(nb, current["index"]), args.cell_timeout)
    except CellExecutionError as err:
        name = ANSI.sub("", err.ename or "")
        value = ANSI.sub("", err.evalue or "").strip()
        if name in ("", "<Error>") and current["index"] is not None:
            # tslab reports errors on stderr, without ename/evalue.
            return "%s failed: %s" % (where(nb, current["index"]), stderr_error(nb.cells[current["index"]]))
        return "%s raised %s: %s" % (where(nb, current["index"]), name, value)
    except DeadKernelError:
        return ("the kernel died while running %s: its process ended without a reply (the kernel's own "
                "message, if it printed one, is above: out of memory, a crash, or process.exit in the cell). "
                "Fix the cell, or run it in `npm start` to see what happens, then run this again"
                % where(nb, current["index"]))
    except Exception as err:  # kernel start-up failures, missing kernelspec, ...
        return ("could not execute with kernel %r: %s: %s (run `node scripts/kernel.js` to check the kernelspec)"
                % (args.kernel, type(err).__name__, err))


def process(args, path):
    """Runs one notebook; returns True when it passed."""
    label = display_path(path)
    if time.time() >= args.deadline:
        log("FAIL %s: not started, the overall time limit was reached" % label)
        return False
    with open(path, encoding="utf-8") as f:
        original = f.read()
    try:
        nb = nbformat.reads(original, as_version=4)
    except Exception as err:
        log("FAIL %s: not a readable notebook (%s); restore it with `git checkout -- %s` or repair it"
            % (label, str(err).splitlines()[0] if str(err) else type(err).__name__, label))
        return False
    wanted = nb.metadata.get("kernelspec", {}).get("name")
    if wanted and wanted != args.kernel:
        log("note %s: metadata names kernel %r; executing with %r" % (label, wanted, args.kernel))
    log("run  %s (%d cells)" % (label, len(nb.cells)))
    started = time.time()
    failure = execute(args, path, nb)
    strip_volatile(nb)
    problems = [] if failure else find_problems(nb)
    if args.mode == "check" and not failure:
        # Seeded notebooks re-execute to the same outputs: a difference means
        # the committed notebook is stale, or something is not seeded.
        committed = nbformat.reads(original, as_version=4)
        committed_code = [c for c in committed.cells if c.cell_type == "code"]
        code_index = {i: k for k, i in enumerate(i for i, c in enumerate(nb.cells) if c.cell_type == "code")}
        for index in changed_outputs(committed, nb):
            if len(committed_code) == len(code_index):
                what = describe_difference(committed_code[code_index[index]].get("outputs", []),
                                           nb.cells[index].get("outputs", []))
            else:
                what = "the committed notebook has a different number of code cells"
            problems.append((index, "outputs differ from the committed notebook: %s "
                                    "(run `npm run notebooks` and commit, or seed what varies, "
                                    "or tag the cell \"volatile\")" % what))
    elapsed = time.time() - started
    text = nbformat.writes(nb)
    text = text if text.endswith("\n") else text + "\n"  # as nbformat.write does

    if args.mode == "check":
        write_atomic(os.path.join(args.out_dir, os.path.basename(path)), text)

    if failure or problems:
        log("FAIL %s after %.1f s:" % (label, elapsed))
        if failure:
            log("     %s" % failure)
        for index, message in problems:
            log("     %s: %s" % (describe_cell(nb, index), message))
        if args.mode == "run":
            log("     (the notebook file was left unchanged)")
        return False

    if args.mode == "run":
        if text != original:
            write_atomic(path, text)
            log("ok   %s in %.1f s (outputs written)" % (label, elapsed))
        else:
            log("ok   %s in %.1f s (outputs unchanged)" % (label, elapsed))
    else:
        volatile = sum(1 for c in nb.cells if c.cell_type == "code" and is_volatile(c))
        note = " (%d volatile cell%s not compared)" % (volatile, "" if volatile == 1 else "s") if volatile else ""
        log("ok   %s in %.1f s%s" % (label, elapsed, note))
    return True


def display_path(path):
    """Path relative to the working directory when inside it, else absolute."""
    rel = os.path.relpath(path)
    return os.path.abspath(path) if rel.startswith("..") else rel


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("run", "check"), required=True)
    parser.add_argument("--out-dir", help="where check mode writes the executed copy")
    parser.add_argument("--kernel", default="diffabm-ts")
    parser.add_argument("--cell-timeout", type=int, default=600)
    parser.add_argument("--deadline", type=float, default=time.time() + 3600,
                        help="Unix time after which no cell may still run")
    parser.add_argument("notebook")
    args = parser.parse_args()
    if args.mode == "check":
        if not args.out_dir:
            parser.error("--out-dir is required in check mode")
        os.makedirs(args.out_dir, exist_ok=True)
    return 0 if process(args, args.notebook) else 1


if __name__ == "__main__":
    sys.exit(main())
