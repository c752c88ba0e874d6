"""A live quiz engine for the knowledge round of Vietnamese civil-service contests.

Nothing is imported here: `quiz serve` must monkey-patch before Flask loads.
"""

__version__ = "0.1.0"
