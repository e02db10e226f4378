"""The data layer: the registry of provinces, index metadata, bundled loading and the user store.

Nothing here analyses; :func:`parlib.data.dataset.load` returns the one validated
:class:`~parlib.data.dataset.Dataset` that the engine works on.
"""
