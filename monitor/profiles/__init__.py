"""Device profiles: one TOML file per sensor model, validated into typed specs."""

from monitor.profiles.loader import fill, load_profile
from monitor.profiles.model import FieldSpec, Profile, StreamSpec, Write
from monitor.profiles.nudge import Nudge, NudgeWrite
from monitor.profiles.registry import Registry

__all__ = ["FieldSpec", "Nudge", "NudgeWrite", "Profile", "Registry", "StreamSpec", "Write", "fill",
           "load_profile"]
