"""Evaluation of the live engine on labelled recordings, with a fixed protocol (issue 3)."""

from monitor.evaluation.protocol import LabelledRun, evaluate_run, load_labelled
from monitor.evaluation.scoring import Totals

__all__ = ["LabelledRun", "Totals", "evaluate_run", "load_labelled"]
