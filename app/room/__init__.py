"""The classroom server: Voila, hardened and preheated for a room of students.

``python -m room app/classroom.ipynb`` (``scripts/serve_app.py`` runs it, with ``app/`` on
``PYTHONPATH``) is Voila with four changes, one module each:

* :mod:`room.kernels`: kernels are started before anyone arrives (Voila's preheated pool,
  sized by the number of students), a few at a time, and refilled as students come in;
  there is a maximum number of kernels; a kernel whose page is gone, or that nobody used
  for a while, is shut down.
* :mod:`room.pages`: the page handler admits a visitor only when a warm kernel is ready,
  and otherwise shows a "please wait" page (which reloads itself) or "the class is full";
  it also sets the cookie that the page's close beacon needs.
* :mod:`room.websocket`: kernel websockets must speak the v1 protocol; the legacy one
  made Voila 0.5 hang (issue 9).
* :mod:`room.app`: the Voila application with these parts, a template for projectors
  (``share/voila/templates/classroom``) and no request leaving the machine.

:mod:`room.client` does what a student's browser does, without a browser, for the tests
and ``benchmarks/bench_app_load.py``.
"""
