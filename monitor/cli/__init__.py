"""The `posture-monitor` command line."""
