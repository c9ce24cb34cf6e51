"""``python -m room NOTEBOOK [options]``: the classroom server (``scripts/serve_app.py`` runs it)."""
from .app import main

main()
