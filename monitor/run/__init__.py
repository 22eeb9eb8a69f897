"""A run, built once from a typed description: `RunSpec` (spec.py) -> `Run` (build.py) -> driven
headless or under the dashboard (drive.py). The command line only turns arguments into a RunSpec."""

from monitor.run.spec import BleSpec, ReplaySpec, RunSpec, SimulatorSpec

__all__ = ["BleSpec", "ReplaySpec", "RunSpec", "SimulatorSpec"]
