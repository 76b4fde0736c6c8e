"""Evacuations: approval, tasking as one conditional update, and the lifecycle state machine."""
