"""The Local Offer content as data: reading and validating the files, loading them, and the content checks."""
