"""Static pickle analysis: resolve every import a loader would perform and judge it, never executing.

The public entry points are :func:`scan_pickle_stream` and :func:`scan_joblib_stream` (used by the
PyTorch and NumPy container scanners) and :class:`PickleScanner` (registered for pickle and joblib).
"""
