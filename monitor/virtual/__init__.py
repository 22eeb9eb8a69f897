"""A real BLE stack without a radio: bumble devices on an in-process link, a virtual sensor that
speaks any device profile, and a bleak backend so the production client runs unchanged."""
