"""The column's pure logic (posts, dates, quarters, listings) and its MkDocs hooks.

Modules here import no MkDocs except the ``*_hooks.py`` files listed in mkdocs.yml,
so that the auditors' command can read posts without building the site.
"""
