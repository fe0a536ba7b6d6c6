"""The book's Sphinx extensions, each loaded from ``_config.yml`` (``sphinx.local_extensions``,
which also puts the repository root on ``sys.path`` so that ``booktools`` imports):

- :mod:`~booktools.sphinxext.book_site`: fixes to the generated HTML; the Colab buttons of
  every language (their one owner); ``BOOK_COMMITTED_OUTPUTS``;
- :mod:`~booktools.sphinxext.demo_page`: the browser demo's scripts, style and networks;
- :mod:`~booktools.sphinxext.book_i18n`: the language switcher, the glossary across languages,
  the theme's words, the sidebar's captions;
- :mod:`~booktools.sphinxext.korean`: Korean search and line breaks;
- :mod:`~booktools.sphinxext.translated_glue`: glued numbers in translated paragraphs (a patch
  of myst-nb internals, guarded by ``tests/test_upstream_internals.py``);
- :mod:`~booktools.sphinxext.teacher_page`: the teacher page's generated parts.
"""
