"""Process guidance for families: topic articles and the statutory deadlines of an EHC case."""
