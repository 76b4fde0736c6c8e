"""Evacuation assets: helicopters, fixed wing and ground ambulances."""
