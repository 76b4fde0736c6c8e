"""Cursor-on-Target for TAK devices: the mission's picture out, 9-line MEDEVAC events in."""
