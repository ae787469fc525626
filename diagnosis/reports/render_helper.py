"""Entry point of the report render helper process (see ``parallel``):
``python -m diagnosis.reports.render_helper FD`` serves renders over the socket FD."""
from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from .parallel import serve


def main(argv: list[str]) -> int:
    conn = Connection(int(argv[1]))
    try:
        serve(conn)
    except (EOFError, OSError, KeyboardInterrupt):  # the parent went away
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
