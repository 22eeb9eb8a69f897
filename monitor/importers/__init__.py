"""Importers: labelled CSV data (UCI HAPT, generic CSV) into recordings of sample blocks."""

from monitor.importers.common import Imported, import_targets, write_imported
from monitor.importers.csv_generic import CsvLayout, read_csv
from monitor.importers.hapt import read_hapt

__all__ = ["CsvLayout", "Imported", "import_targets", "read_csv", "read_hapt", "write_imported"]
