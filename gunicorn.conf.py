"""gunicorn settings read from the working directory (``make run`` and ``bench/load.py`` start
gunicorn here; command-line flags still win).

Each worker freezes what it holds once the app is loaded (modules, the app, its templates and
questionnaire library): the cyclic garbage collector then never walks those objects again. Every
request and every report render allocates enough to trigger collections, and with a few hundred
thousand start-up objects in the heap each full collection walked all of them: freezing made a
report render about 10% cheaper in CPU.
"""


def post_worker_init(worker):
    import gc

    gc.freeze()
