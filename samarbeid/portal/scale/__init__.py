"""The synthetic national dataset that `seed_scale` writes, built per domain."""
