"""Missions: the scope of every other resource."""
