"""The web console: static files served at `/console/` (see `routes.setup`)."""
