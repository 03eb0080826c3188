"""Pages that gather several apps: the home page, the staff home, the privacy notice and the
accessibility statement; and the demo data for every app (``seed_demo``)."""
