"""gunicorn reads ./gunicorn.conf.py where `make run` and the load benchmark start it."""
from __future__ import annotations

import gc
from pathlib import Path

from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[1]


def test_gunicorn_started_in_the_project_folder_reads_its_config():
    """`make run` and bench/load.py start gunicorn in the project folder without ``-c``."""
    default = Config().settings["config"].default
    assert (ROOT / default).resolve() == ROOT / "gunicorn.conf.py"
    assert (ROOT / "gunicorn.conf.py").is_file()


def test_a_worker_freezes_its_start_up_heap_once_the_app_is_loaded():
    namespace: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    gc.unfreeze()
    try:
        namespace["post_worker_init"](object())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
