"""The build machinery of MobileNet v1 Lab: everything that turns the book's source into what
readers meet (not shipped in the ``mobilenet_lab`` wheel).

Every module with a command line runs as ``python -m booktools.<module>`` from the repository
root; the Makefile's targets do exactly that. What each module is:

- :mod:`booktools.book`: the one chapter registry and the one reader of ``_config.yml``,
  ``_toc.yml`` and ``locale/translated.yml`` (pages, numbered chapters, published URLs);
- notebook editions: :mod:`~booktools.editions` (reader and student editions, the command of
  ``make notebooks``), built on :mod:`~booktools.myst_book` (what the whole book defines),
  :mod:`~booktools.myst_markdown` (MyST → plain Markdown), :mod:`~booktools.po_markdown`
  (``.po`` translations applied to Markdown), :mod:`~booktools.stubs` (solution → stub),
  :mod:`~booktools.glue` and :mod:`~booktools.cells` (what a notebook's cells hold);
- the teacher page's generated parts: :mod:`~booktools.teacher_page`;
- graded assignments: :mod:`~booktools.assignments` (``make assignments``),
  :mod:`~booktools.otter_cells` (otter-grader's notebook format), :mod:`~booktools.hidden`
  (hidden tests as Python functions), :mod:`~booktools.dataflow` (the cells a solution needs);
- running notebooks: :mod:`~booktools.execute` (``make execute``),
  :mod:`~booktools.colab_faithful` and :mod:`~booktools.colab_runner` (``make colab``),
  :mod:`~booktools.cuda_smoke`, :mod:`~booktools.preview`;
- the translated site: :mod:`~booktools.translation` (``make translations``, the Korean build);
- the demo page's networks: :mod:`~booktools.demo_models` (``make demo-models``);
- Sphinx extensions, loaded from ``_config.yml``: :mod:`booktools.sphinxext`.
"""
