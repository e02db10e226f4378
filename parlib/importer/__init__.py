"""Bring the Ministry's tables: templates, reading, validation and atomic import into the user store.

An analyst holding the official PAR INDEX, SIPAS, PAPI or PCI table of a year writes it into a
template (or uses their own CSV/XLSX, wide or long), and imports it::

    make_template("PAR", 2022, "xlsx", "par2022.xlsx")           # parlib data template …
    plan = import_table("par2022.xlsx", "PAR", 2022, source="…")  # parlib data import …

Reading is forgiving (decimal commas, "%", thousands separators, non-breaking spaces, numbers
stored as text, title rows above the header, merged header cells, trailing empty rows, any
spelling of a province) and bounded (size, rows, cells; a spreadsheet's formulas must carry
their values). Validation is strict and complete: every problem of the file is collected in one
pass (:class:`parlib.data.Problem`: file, sheet, row, column, value found, what was expected, a
suggestion and a fix), and nothing is written unless there is no error.

An accepted import is written to the user store (:func:`parlib.config.user_data_dir`) under the
store's lock as one dataset folder ``datasets/<id>/`` and committed by atomically replacing the
store's ``MANIFEST.csv``: an interrupted import leaves the store as it was (see
:mod:`parlib.data.user_store` for the manifest's commit record and the recovery of killed writes).

The package, by job: :mod:`~parlib.importer.cells` (numbers, ranks, header keys),
:mod:`~parlib.importer.templates`, :mod:`~parlib.importer.reading` (CSV/XLSX with limits),
:mod:`~parlib.importer.checks` (the checks) and :mod:`~parlib.importer.validation` (one pass over an
import: the plan of what would be written),
:mod:`~parlib.importer.writing` (lock, commit, recovery, list, remove, repair).
"""

from parlib.importer.cells import ImportValidationError, Parsed, parse_number, parse_rank
from parlib.importer.reading import Column, Grid, ImportedTable, read_table
from parlib.importer.templates import make_template, template_measures
from parlib.importer.validation import ImportPlan, dataset_id_for, file_sha256, validate_import
from parlib.importer.writing import (
    DatasetNotFoundError,
    import_table,
    list_datasets,
    remove_dataset,
    repair_store,
    write_dataset,
)

__all__ = [
    "Column",
    "DatasetNotFoundError",
    "Grid",
    "ImportPlan",
    "ImportValidationError",
    "ImportedTable",
    "Parsed",
    "dataset_id_for",
    "file_sha256",
    "import_table",
    "list_datasets",
    "make_template",
    "parse_number",
    "parse_rank",
    "read_table",
    "remove_dataset",
    "repair_store",
    "template_measures",
    "validate_import",
    "write_dataset",
]
