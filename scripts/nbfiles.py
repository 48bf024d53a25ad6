"""Writing files from the notebook helpers (nbrun.py, nbhtml.py) without ever
leaving a half-written one: write a temporary file beside the target, then
rename it over the target (atomic on one file system)."""
import os
import tempfile


def write_atomic(path, text):
    """Replaces path with text; keeps the mode of an existing file (else 0644).
    On any error the temporary file is removed and the target is untouched."""
    folder = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1]
    fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=suffix, dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
