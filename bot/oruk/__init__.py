"""Open Referral UK (ORUK) in and out: read a council's published directory, and publish ours.

Why a package of small modules: validation (`schema`), matching to our areas and categories (`mapping`)
and export (`export`) are pure and tested alone; fetching (`fetch`) and the run that writes (`importer`)
are the edges.
"""
