"""The project's own spaCy pipeline (no English model can be downloaded where this runs)."""
