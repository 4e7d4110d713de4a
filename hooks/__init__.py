"""The column's domain library and its MkDocs hooks.

The pure modules here (front matter, posts, dates, quarters, listings, plans, settings,
coverage, the coverage.json contract, the district roll-up) import no MkDocs, so that
the auditors' commands (``python -m hooks.coverage``, ``python -m hooks.district``) run
them without building the site. The ``*_hooks.py`` files listed in mkdocs.yml, and the
MkDocs glue they use (``generated.py``, ``preview.py``) and the build command (``site.py``)
are the only ones that do; tests/test_pure_modules.py checks it.
"""
