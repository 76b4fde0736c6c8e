"""The planner loop: snapshot from PostgreSQL, engine in a worker process, plan stored and announced."""
