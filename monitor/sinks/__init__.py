"""Sinks consume events: console lines, and later the dashboard, MQTT, the statistics store."""
