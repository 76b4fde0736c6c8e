"""medevac: casualty evacuation and telemedicine coordination for UN peacekeeping missions."""

__version__ = "0.1.0"
