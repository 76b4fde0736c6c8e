"""The planner loop: snapshot from PostgreSQL, engine in an executor, plan stored and announced."""
