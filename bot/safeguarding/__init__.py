"""When a child may be at risk: the tier a message gets, and the emergency routes by area and time."""
