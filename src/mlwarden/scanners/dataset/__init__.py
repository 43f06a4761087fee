"""Datasets: streaming readers, column classification and the dataset scanner."""

from mlwarden.scanners.dataset.classify import (
    ClassifyOptions,
    ColumnVerdict,
    DatasetProfile,
    classify_dataset,
    verdicts,
)
from mlwarden.scanners.dataset.scanner import DatasetScanner

__all__ = ["ClassifyOptions", "ColumnVerdict", "DatasetProfile", "DatasetScanner", "classify_dataset", "verdicts"]
