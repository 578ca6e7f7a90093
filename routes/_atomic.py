"""Write a file through a temporary one in the same folder, then rename it: no reader ever sees half a file,
and a failed write leaves the previous file as it was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def write_atomically(path: str | Path, write: Callable[[str], object], *, suffix: str = ".tmp",
                     absent: bool = False) -> Path:
    """Call `write(tmp)` on a temporary path beside `path`, then rename it to `path` (mode 644).

    `suffix` keeps the extension for writers that read the format from it; `absent` removes the empty
    placeholder first, for writers that refuse to open an existing file (GeoPackage)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        if absent:
            os.unlink(tmp)
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path
