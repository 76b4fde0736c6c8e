"""9-line MEDEVAC requests: intake (JSON or radio text), casualty records, MIST-AT notes."""
