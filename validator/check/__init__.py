"""Checking: the engine runs compiled packs over a canonical document; findings, bounds,
schema checks, waivers, explain and batch runs."""
