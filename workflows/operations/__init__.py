"""Operations: backup and restore of the database with the uploaded files, the workers' heartbeats and the
health check that a proxy or a monitor reads."""
