"""gunicorn settings read from the working directory (``make run`` and ``bench/load.py`` start
gunicorn here; command-line flags still win).

Each worker freezes what it holds once the app is loaded (modules, the app, its templates and
questionnaire library): the cyclic garbage collector then never walks those objects again. Every
request and every report render allocates enough to trigger collections, and with a few hundred
thousand start-up objects in the heap each full collection walked all of them: freezing made a
report render about 10% cheaper in CPU.

Threaded workers hold no more than their share of kept-alive connections
(``diagnosis/fair_worker.py``): otherwise which worker a browser's connection stays with is a race,
and the busier worker's users wait while the other has time to spare.
"""

worker_class = "diagnosis.fair_worker.FairThreadWorker"


def post_worker_init(worker):
    import gc

    gc.freeze()
