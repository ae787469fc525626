"""智造诊断: the application package.

``create_app`` is imported lazily so that ``diagnosis.scoring`` and ``diagnosis.instruments``
stay importable without Flask (the CLI, benchmarks and tests use them directly).
"""


def create_app(config=None, instance_path=None):
    from .app import create_app as _create_app

    return _create_app(config, instance_path)
