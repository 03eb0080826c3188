"""`make bench`: seeds realistic volumes and measures the portal under gunicorn (not part of
`make test`)."""
