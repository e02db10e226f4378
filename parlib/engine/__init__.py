"""The engine: ranks, changes, averages and gaps, groups, streaks, and the year model.

It takes a :class:`parlib.data.dataset.Dataset` (or its frames) explicitly, does no I/O, and
produces the :class:`Profile` and :class:`Overview` slices that every presenter formats.
"""
